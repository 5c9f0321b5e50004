package io.debmonitor.shell.internal;

import static org.junit.Assert.assertEquals;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.List;

import org.junit.Test;

import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.HolderFilter;
import io.debmonitor.core.model.api.PackageHolderDTO;
import io.debmonitor.core.model.api.PackageService;
import io.debmonitor.core.model.api.PackageVersionCountDTO;
import io.debmonitor.core.model.api.PageDTO;
import io.debmonitor.core.model.api.PageRequest;
import io.debmonitor.core.model.api.UpgradeFilter;

public class PackageShowTest {

    private static final PageRequest FIRST = new PageRequest(1, 1000, null, false);

    private final PackageService packages = mock(PackageService.class);

    private PackageShow command(String os, String version) {
        PackageShow command = new PackageShow();
        command.packages = packages;
        command.name = "bash";
        command.os = os;
        command.version = version;
        return command;
    }

    private void stubFleet() {
        when(packages.versions("bash")).thenReturn(List.of(
                new PackageVersionCountDTO("Debian 11", "5.1-2", 1, 0, 0),
                new PackageVersionCountDTO("Debian 12", "5.2.15-2", 2, 0, 0),
                new PackageVersionCountDTO("Debian 12", "5.2.15-2+deb12u1", 0, 1, 1)));
        when(packages.holders("bash", new HolderFilter(null, "Debian 11", "5.1-2", null, UpgradeFilter.ALL), FIRST))
                .thenReturn(new PageDTO<>(1, 1000, 1, List.of(new PackageHolderDTO("Debian 11", "5.1-2", EntityKind.HOST, "old.example.org", null, null))));
        when(packages.holders("bash", new HolderFilter(null, "Debian 12", "5.2.15-2", null, UpgradeFilter.ALL), FIRST))
                .thenReturn(new PageDTO<>(1, 1000, 2, List.of(
                        new PackageHolderDTO("Debian 12", "5.2.15-2", EntityKind.HOST, "a.example.org", "5.2.15-2+deb12u1", "security"),
                        new PackageHolderDTO("Debian 12", "5.2.15-2", EntityKind.IMAGE, "r:1", null, null))));
    }

    @Test
    public void printsEachVersionWithItsCountsThenWhoHasIt() throws Exception {
        stubFleet();
        assertEquals(List.of(
                "Debian 11  5.1-2  installed=1  upgradable-to=0  security=0",
                "  host  old.example.org",
                "Debian 12  5.2.15-2  installed=2  upgradable-to=0  security=0",
                "  host  a.example.org  -> 5.2.15-2+deb12u1",
                "  image  r:1",
                "Debian 12  5.2.15-2+deb12u1  installed=0  upgradable-to=1  security=1"), Console.run(command(null, null)));
    }

    @Test
    public void osAndVersionNarrowTheOutput() throws Exception {
        stubFleet();
        assertEquals(List.of("Debian 11  5.1-2  installed=1  upgradable-to=0  security=0", "  host  old.example.org"),
                Console.run(command("Debian 11", null)));
        assertEquals(List.of("Debian 12  5.2.15-2+deb12u1  installed=0  upgradable-to=1  security=1"),
                Console.run(command(null, "5.2.15-2+deb12u1")));
        assertEquals("Package 'bash' has no version 5.1-2 on Debian 12", Console.fail(command("Debian 12", "5.1-2")).message());
    }

    @Test
    public void anUnknownPackageFails() throws Exception {
        when(packages.versions("bash")).thenReturn(List.of());
        assertEquals("No package named 'bash'", Console.fail(command(null, null)).message());
    }
}
