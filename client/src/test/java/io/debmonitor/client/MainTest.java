package io.debmonitor.client;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.After;
import org.junit.Assume;
import org.junit.Before;
import org.junit.Test;

public class MainTest {

    private final List<String> logged = Collections.synchronizedList(new ArrayList<>());
    private Consumer<String> oldSink;
    private Path config;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @Before
    public void setUp() throws Exception {
        oldSink = Log.setSink(logged::add);
        config = Files.createTempFile("debmonitor", ".conf");
        Files.writeString(config, "[DEFAULT]\n");
    }

    @After
    public void tearDown() throws Exception {
        Log.setSink(oldSink);
        Log.setThreshold(Log.Level.INFO);
        Files.deleteIfExists(config);
    }

    private int run(String stdin, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--config";
        all[1] = config.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return Main.run(all, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), new PrintStream(out),
                Map.of(), Instant.now());
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    public void versionAndHelpExitZero() {
        assertEquals(0, run("", "--version"));
        assertTrue(output(), output().startsWith("debmonitor-client "));
        out.reset();
        assertEquals(0, run("", "-h"));
        assertTrue(output(), output().startsWith("usage: debmonitor-client"));
    }

    @Test
    public void usageErrorsExitTwo() {
        assertEquals(2, run("", "--bogus"));
        assertEquals(2, run("", "-u", "-g", "-n"));
        assertEquals(2, run(""));
        assertEquals(0, out.size());
    }

    @Test
    public void emptyHookInputSendsNothingAndExitsZero() {
        assertEquals(0, run("", "-g", "-s", "debmonitor.invalid"));
        assertEquals(0, run("VERSION 3\nAPT::Architecture=amd64\n\n", "-g", "-s", "debmonitor.invalid"));
        assertEquals(0, out.size());
        assertTrue(logged.toString(), logged.isEmpty());
    }

    @Test
    public void badHookInputExitsOne() {
        assertEquals(1, run("VERSION 1\n\n", "-g", "-n"));
        assertEquals(List.of("[ERROR] Unsupported hook protocol: VERSION 1"), logged);
    }

    @Test
    public void dryRunPrintsTheImageFileSortedAndIndented() throws Exception {
        Path file = Files.createTempFile("image", ".json");
        Files.writeString(file, "{\"update_type\": \"full\", \"image_name\": \"r/app:1\", \"installed\": []}");
        try {
            assertEquals(0, run("", "-n", "-f", file.toString()));
            assertEquals("{\n    \"image_name\": \"r/app:1\",\n    \"installed\": [],\n    \"update_type\": \"full\"\n}\n",
                    output());
        } finally {
            Files.delete(file);
        }
    }

    /** End to end in a separate JVM: the deadline counts from process start and ends the run with 1. */
    @Test(timeout = 30_000)
    public void hookDeadlineEndsTheRunAndNamesTheServer() throws Exception {
        Assume.assumeTrue(Files.isReadable(Path.of("/var/lib/dpkg/status")) && Files.isReadable(Path.of("/etc/os-release")));
        // A server that accepts connections and never answers.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = Collections.synchronizedList(new ArrayList<>());
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (Exception e) {
                    // closed
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                    "io.debmonitor.client.Main", "--config", config.toString(), "-g", "-s", "localhost",
                    "-p", Integer.toString(silent.getLocalPort()), "--hook-timeout", "2", "--hostname", "h.example.org")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.PIPE).start();
            p.getOutputStream().write("VERSION 3\n\nghost 1.0 amd64 none > - - none **REMOVE**\n"
                    .getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            assertTrue(p.waitFor(20, TimeUnit.SECONDS));
            String err = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(err, 1, p.exitValue());
            assertTrue(err, err.contains("[ERROR] deadline of 2 s exceeded, report not sent to localhost"));
            Instant started = p.info().startInstant().orElse(null);
            if (started != null) {
                // within hook_timeout plus a generous margin for a loaded build machine
                assertTrue(java.time.Duration.between(started, Instant.now()).toMillis() < 10_000);
            }
            for (Socket s : accepted) {
                s.close();
            }
        }
    }
}
