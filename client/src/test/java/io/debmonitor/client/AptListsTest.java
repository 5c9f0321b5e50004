package io.debmonitor.client;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.Test;

public class AptListsTest {

    static final String MAIN = String.join("\n",
            "Package: curl",
            "Version: 7.88.1-10+deb12u14",
            "Architecture: amd64",
            "Description: command line tool",
            "",
            "Package: libssl3",
            "Source: openssl",
            "Version: 3.0.15-1~deb12u1",
            "",
            "Package: bash",
            "Source: bash (5.2.15-2)",
            "Version: 5.2.15-2+b8",
            "");

    static final String SECURITY = String.join("\r\n",
            "Package: libssl3",
            "Version: 3.0.17-1~deb12u2",
            "Source: openssl",
            "",
            "");

    private static Map<String, DpkgStatus.Source> scan(String text, Set<String> names, Set<String> wanted)
            throws Exception {
        Map<String, DpkgStatus.Source> found = new HashMap<>();
        AptLists.scan(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), names, wanted, found, () -> false);
        return found;
    }

    @Test
    public void scanFindsExactVersionsWithTheirSources() throws Exception {
        Map<String, DpkgStatus.Source> found = scan(MAIN, Set.of("libssl3", "bash", "curl"),
                Set.of("libssl3 3.0.15-1~deb12u1", "bash 5.2.15-2+b8", "curl 9"));
        assertEquals(Map.of("libssl3 3.0.15-1~deb12u1", new DpkgStatus.Source("openssl", "3.0.15-1~deb12u1"),
                "bash 5.2.15-2+b8", new DpkgStatus.Source("bash", "5.2.15-2")), found);
    }

    @Test
    public void scanWithoutWantedCollectsEveryVersionOfTheNames() throws Exception {
        Map<String, DpkgStatus.Source> found = scan(MAIN + "\n" + SECURITY, Set.of("libssl3"), null);
        assertEquals(Set.of("libssl3 3.0.15-1~deb12u1", "libssl3 3.0.17-1~deb12u2"), found.keySet());
    }

    @Test
    public void scanStopsWhenEverythingIsFound() throws Exception {
        Map<String, DpkgStatus.Source> found = new HashMap<>();
        boolean complete = AptLists.scan(new ByteArrayInputStream(MAIN.getBytes(StandardCharsets.UTF_8)),
                Set.of("curl"), Set.of("curl 7.88.1-10+deb12u14"), found, () -> false);
        assertFalse(complete);
        assertEquals(new DpkgStatus.Source("curl", "7.88.1-10+deb12u14"), found.get("curl 7.88.1-10+deb12u14"));
    }

    @Test
    public void lookupReadsPlainAndGzipListsSecurityFirst() throws Exception {
        Path dir = Files.createTempDirectory("lists");
        try {
            Files.writeString(dir.resolve("deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages"), MAIN);
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(
                    dir.resolve("deb.debian.org_debian-security_dists_bookworm-security_main_binary-amd64_Packages.gz")))) {
                out.write(SECURITY.getBytes(StandardCharsets.UTF_8));
            }
            Files.writeString(dir.resolve("deb.debian.org_debian_dists_bookworm_InRelease"), "Package: trap\n");
            Files.writeString(dir.resolve("lock"), "");

            List<Path> files = AptLists.listFiles(dir);
            assertEquals(2, files.size());
            assertTrue(files.get(0).toString().endsWith("_Packages.gz"));

            Map<String, DpkgStatus.Source> found = AptLists.lookup(
                    List.of("libssl3 3.0.17-1~deb12u2", "curl 7.88.1-10+deb12u14", "trap 1"), dir);
            assertEquals(Map.of("libssl3 3.0.17-1~deb12u2", new DpkgStatus.Source("openssl", "3.0.17-1~deb12u2"),
                    "curl 7.88.1-10+deb12u14", new DpkgStatus.Source("curl", "7.88.1-10+deb12u14")), found);
        } finally {
            OpenSsl.delete(dir);
        }
    }

    @Test
    public void missingDirectoryFindsNothing() {
        assertTrue(AptLists.lookup(List.of("a 1"), Path.of("/nonexistent/lists")).isEmpty());
    }
}
