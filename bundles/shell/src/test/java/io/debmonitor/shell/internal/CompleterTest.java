package io.debmonitor.shell.internal;

import static io.debmonitor.shell.internal.Fixtures.host;
import static io.debmonitor.shell.internal.Fixtures.image;
import static org.junit.Assert.assertEquals;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Session;
import org.junit.Test;

import io.debmonitor.core.model.api.EntityFilter;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.EntityService;
import io.debmonitor.core.model.api.PackageService;
import io.debmonitor.core.model.api.PageDTO;
import io.debmonitor.core.model.api.PageRequest;
import io.debmonitor.core.model.api.UpgradeFilter;

public class CompleterTest {

    private static final PageRequest FIRST_100 = new PageRequest(1, 100, "name", false);

    private final EntityService entities = mock(EntityService.class);

    private static CommandLine typed(String argument) {
        CommandLine line = mock(CommandLine.class);
        when(line.getCursorArgument()).thenReturn(argument);
        when(line.getArgumentPosition()).thenReturn(argument == null ? 0 : argument.length());
        when(line.getArguments()).thenReturn(new String[] {"debmonitor:host-show", argument == null ? "" : argument});
        when(line.getCursorArgumentIndex()).thenReturn(1);
        return line;
    }

    private static List<String> complete(NameCompleter completer, String argument) {
        List<String> candidates = new ArrayList<>();
        completer.complete(mock(Session.class), typed(argument), candidates);
        return candidates.stream().map(String::trim).sorted().toList();
    }

    @Test
    public void hostNamesStartingWithWhatWasTyped() {
        // The q filter also matches the OS and the middle of names; only prefixes are offered.
        when(entities.list(EntityKind.HOST, new EntityFilter("db", null, UpgradeFilter.ALL, null), FIRST_100))
                .thenReturn(new PageDTO<>(1, 100, 3, List.of(host("db1001.example.org", 1, 0, 0), host("db1002.example.org", 1, 0, 0),
                        host("mw-db.example.org", 1, 0, 0))));
        HostNameCompleter completer = new HostNameCompleter();
        completer.entities = entities;
        assertEquals(List.of("db1001.example.org", "db1002.example.org"), complete(completer, "db"));
    }

    @Test
    public void nothingTypedOffersTheFirstNames() {
        when(entities.list(EntityKind.IMAGE, EntityFilter.ALL, FIRST_100))
                .thenReturn(new PageDTO<>(1, 100, 2, List.of(image("a:1", 1, 0), image("b:1", 1, 0))));
        ImageRefCompleter completer = new ImageRefCompleter();
        completer.entities = entities;
        assertEquals(List.of("a:1", "b:1"), complete(completer, null));
    }

    @Test
    public void packageNames() {
        PackageService packages = mock(PackageService.class);
        when(packages.namesStartingWith("lib", NameCompleter.MAX_CANDIDATES)).thenReturn(List.of("libc6", "libssl3"));
        PackageNameCompleter completer = new PackageNameCompleter();
        completer.packages = packages;
        assertEquals(List.of("libc6", "libssl3"), complete(completer, "lib"));
    }
}
