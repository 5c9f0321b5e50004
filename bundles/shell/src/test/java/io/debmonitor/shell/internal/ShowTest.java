package io.debmonitor.shell.internal;

import static io.debmonitor.shell.internal.Fixtures.host;
import static io.debmonitor.shell.internal.Fixtures.image;
import static org.junit.Assert.assertEquals;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.Optional;

import org.junit.Test;

import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.EntityService;
import io.debmonitor.core.model.api.KubernetesRowDTO;
import io.debmonitor.core.model.api.KubernetesService;
import io.debmonitor.core.model.api.PackageRowDTO;
import io.debmonitor.core.model.api.PageDTO;
import io.debmonitor.core.model.api.PageRequest;
import io.debmonitor.core.model.api.RowFilter;
import io.debmonitor.core.model.api.UpgradeFilter;

public class ShowTest {

    private static final String HOST = "a.example.org";
    private static final String IMAGE = "registry.example.org/a/b:1";
    private static final PageRequest BY_NAME = new PageRequest(1, 1000, "name", false);

    private final EntityService entities = mock(EntityService.class);
    private final KubernetesService kubernetes = mock(KubernetesService.class);

    @Test
    public void hostShowPrintsTheSummaryThenTheRowsByName() throws Exception {
        when(entities.find(EntityKind.HOST, HOST)).thenReturn(Optional.of(host(HOST, 3, 2, 1)));
        when(entities.rows(EntityKind.HOST, HOST, RowFilter.ALL, BY_NAME)).thenReturn(new PageDTO<>(1, 1000, 3, List.of(
                new PackageRowDTO("bash", "5.2.15-2+b2", null, null),
                new PackageRowDTO("libc6", "2.36-9", "2.36-9+deb12u4", "security"),
                new PackageRowDTO("vim", "2:9.0.1378-2", "2:9.0.1378-2+deb12u1", null))));
        HostShow command = new HostShow();
        command.entities = entities;
        command.name = HOST;
        assertEquals(List.of(
                "OS: Debian 12",
                "Kernel: 6.1.0-18-amd64",
                "Release: 6.1.76-1",
                "Created: 2026-11-01T08:00:00Z",
                "Last update: 2026-12-04T10:15:30Z",
                "bash  5.2.15-2+b2",
                "libc6  2.36-9  -> 2.36-9+deb12u4 (security)",
                "vim  2:9.0.1378-2  -> 2:9.0.1378-2+deb12u1"), Console.run(command));
    }

    @Test
    public void hostShowUpgradableAsksOnlyForUpgradableRows() throws Exception {
        when(entities.find(EntityKind.HOST, HOST)).thenReturn(Optional.of(host(HOST, 3, 1, 0)));
        when(entities.rows(EntityKind.HOST, HOST, new RowFilter(null, UpgradeFilter.UPGRADABLE), BY_NAME))
                .thenReturn(new PageDTO<>(1, 1000, 1, List.of(new PackageRowDTO("vim", "1", "2", "upgrade"))));
        HostShow command = new HostShow();
        command.entities = entities;
        command.name = HOST;
        command.upgradable = true;
        List<String> lines = Console.run(command);
        assertEquals(6, lines.size());
        assertEquals("vim  1  -> 2 (upgrade)", lines.get(5));
    }

    @Test
    public void hostShowOfAnUnknownHostFailsWithOneLine() throws Exception {
        when(entities.find(EntityKind.HOST, "nope")).thenReturn(Optional.empty());
        HostShow command = new HostShow();
        command.entities = entities;
        command.name = "nope";
        Console.Failure failure = Console.fail(command);
        assertEquals("No host named 'nope'", failure.message());
        assertEquals(List.of(), failure.printed());
    }

    @Test
    public void imageShowAddsOneLinePerKubernetesRowAndNoKernel() throws Exception {
        when(entities.find(EntityKind.IMAGE, IMAGE)).thenReturn(Optional.of(image(IMAGE, 1, 5)));
        when(kubernetes.ofImage(IMAGE)).thenReturn(List.of(
                new KubernetesRowDTO("eqiad", "default", IMAGE, "Debian 12", 3, Fixtures.MODIFIED),
                new KubernetesRowDTO("eqiad", "tools", IMAGE, "Debian 12", 2, Fixtures.MODIFIED)));
        when(entities.rows(EntityKind.IMAGE, IMAGE, RowFilter.ALL, BY_NAME))
                .thenReturn(new PageDTO<>(1, 1000, 1, List.of(new PackageRowDTO("bash", "5.2", null, null))));
        ImageShow command = new ImageShow();
        command.entities = entities;
        command.kubernetes = kubernetes;
        command.ref = IMAGE;
        assertEquals(List.of(
                "OS: Debian 12",
                "Created: 2026-11-01T08:00:00Z",
                "Last update: 2026-12-04T10:15:30Z",
                "Digest: -",
                "eqiad/default: 3",
                "eqiad/tools: 2",
                "bash  5.2"), Console.run(command));
    }

    @Test
    public void imageShowOfAnUnknownImageFails() throws Exception {
        when(entities.find(EntityKind.IMAGE, "x:1")).thenReturn(Optional.empty());
        ImageShow command = new ImageShow();
        command.entities = entities;
        command.kubernetes = kubernetes;
        command.ref = "x:1";
        assertEquals("No image named 'x:1'", Console.fail(command).message());
    }
}
