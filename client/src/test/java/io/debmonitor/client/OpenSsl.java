package io.debmonitor.client;

import static org.junit.Assert.assertEquals;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.Assume;

/** Runs the openssl command for tests that need real PEM files; they are skipped without it. */
final class OpenSsl {

    private OpenSsl() {
    }

    static void assumeAvailable() {
        boolean found = false;
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            found |= new File(dir, "openssl").canExecute();
        }
        Assume.assumeTrue("openssl is not installed", found);
    }

    static void run(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        int code = p.waitFor();
        assertEquals(String.join(" ", command) + ": " + Files.readString(dir.resolve("openssl.log")), 0, code);
    }

    static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
