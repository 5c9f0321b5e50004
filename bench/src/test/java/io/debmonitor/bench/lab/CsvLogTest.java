package io.debmonitor.bench.lab;

import static org.junit.Assert.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class CsvLogTest {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void csvLogsAppendAndQuote() throws Exception {
        Path file = folder.getRoot().toPath().resolve("a.csv");
        try (CsvLog log = new CsvLog(file, "a,b")) {
            log.row("x", 1);
        }
        try (CsvLog log = new CsvLog(file, "a,b")) {
            log.row("say \"hi\", twice", null);
        }
        assertEquals(List.of("a,b", "x,1", "\"say \"\"hi\"\", twice\","), Files.readAllLines(file));
    }
}
