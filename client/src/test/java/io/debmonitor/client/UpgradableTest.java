package io.debmonitor.client;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class UpgradableTest {

    static final DpkgStatus STATUS = DpkgStatus.parse(String.join("\n",
            "Package: dpkg", "Status: install ok installed", "Architecture: amd64", "Version: 1.21.22", "",
            "Package: libssl3", "Status: install ok installed", "Architecture: amd64", "Source: openssl",
            "Version: 3.0.11-1~deb12u2", "",
            "Package: libssl3", "Status: install ok installed", "Architecture: i386", "Source: openssl",
            "Version: 3.0.11-1~deb12u2", "",
            "Package: held", "Status: hold ok installed", "Architecture: all", "Version: 1.0", "",
            "Package: downgraded", "Status: install ok installed", "Architecture: amd64", "Version: 2.0", ""),
            () -> null);

    @Test
    public void candidatesThatDifferAreUpgradableWithTheCandidatesSource() {
        Map<String, AptPolicy.Candidate> candidates = Map.of(
                "dpkg", new AptPolicy.Candidate("1.21.22", false),
                "libssl3", new AptPolicy.Candidate("3.0.13-1~deb12u1", true),
                "libssl3:i386", new AptPolicy.Candidate("3.0.13-1~deb12u1", true),
                "held", new AptPolicy.Candidate("1.1", false),
                "downgraded", new AptPolicy.Candidate("1.0", false));
        List<Collection<String>> queries = new ArrayList<>();
        List<Upgradable.Item> items = Upgradable.collect(STATUS, candidates, keys -> {
            queries.add(new ArrayList<>(keys));
            return Map.of("libssl3 3.0.13-1~deb12u1", new DpkgStatus.Source("openssl", "3.0.13-1~deb12u1"),
                    "held 1.1", new DpkgStatus.Source("heldsrc", "1.1"));
        });
        assertEquals(List.of(
                new Upgradable.Item("libssl3", "3.0.11-1~deb12u2", "3.0.13-1~deb12u1", "openssl", "3.0.13-1~deb12u1", true),
                new Upgradable.Item("libssl3:i386", "3.0.11-1~deb12u2", "3.0.13-1~deb12u1", "openssl", "3.0.13-1~deb12u1",
                        true),
                new Upgradable.Item("held", "1.0", "1.1", "heldsrc", "1.1", false),
                // unknown in the lists: the installed package's source, without a source version
                new Upgradable.Item("downgraded", "2.0", "1.0", "downgraded", null, false)), items);
        assertEquals("one batched lookup", 1, queries.size());
        assertEquals(List.of("libssl3 3.0.13-1~deb12u1", "held 1.1", "downgraded 1.0"), queries.get(0));
    }

    @Test
    public void nothingUpgradableNeedsNoLookup() {
        List<Upgradable.Item> items = Upgradable.collect(STATUS,
                Map.of("dpkg", new AptPolicy.Candidate("1.21.22", false)), keys -> {
                    fail("no lookup expected");
                    return Map.of();
                });
        assertTrue(items.isEmpty());
    }
}
