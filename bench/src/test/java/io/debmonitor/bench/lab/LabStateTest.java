package io.debmonitor.bench.lab;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.debmonitor.bench.LabFleet;

public class LabStateTest {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void aLaterRunContinuesEachHostsSequence() throws Exception {
        Path dir = folder.getRoot().toPath().resolve("run");
        List<LabFleet.Host> hosts = new LabFleet(1, 3, "lab.example.org").hosts();
        LabState first = LabState.create(dir, 3, 1, "lab.example.org", Path.of("pki"));
        assertEquals(1, first.next(0));
        assertEquals(2, first.next(0));
        assertEquals(1, first.next(2));
        first.save(hosts);

        LabState again = LabState.create(dir, 3, 1, "lab.example.org", Path.of("elsewhere"));
        assertEquals(3, again.next(0));
        assertEquals(1, again.next(1));
        assertEquals(1, again.last(2));
        assertEquals(Path.of("pki").toAbsolutePath(), again.pki);
        again.save(hosts);
        assertEquals(List.of("host,k", "h0001.lab.example.org,3", "h0002.lab.example.org,1", "h0003.lab.example.org,1"),
                Files.readAllLines(dir.resolve("state.csv")));
        assertEquals(3, LabState.open(dir).last(0));
    }

    @Test
    public void aDirectoryKeepsItsFleet() throws Exception {
        Path dir = folder.getRoot().toPath();
        LabState.create(dir, 3, 1, "lab.example.org", Path.of("pki"));
        assertThrows(IllegalArgumentException.class, () -> LabState.create(dir, 4, 1, "lab.example.org", Path.of("pki")));
        assertThrows(IllegalArgumentException.class, () -> LabState.open(dir.resolve("none")));
    }
}
