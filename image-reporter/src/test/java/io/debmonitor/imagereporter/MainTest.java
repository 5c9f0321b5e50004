package io.debmonitor.imagereporter;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

public class MainTest {

    private static final String PODS = "{\"items\":[{\"metadata\":{\"namespace\":\"web\"},\"spec\":{\"containers\":"
            + "[{\"name\":\"app\",\"image\":\"registry.example.org/app:1\"}]},\"status\":{\"phase\":\"Running\"}}]}";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private Consumer<String> previousSink;

    @Before
    public void captureLog() {
        previousSink = Log.setSink(log::add);
    }

    @After
    public void restoreLog() {
        Log.setVerbose(false);
        Log.setSink(previousSink);
    }

    private int run(InputStream stdin, String... args) {
        return Main.run(args, Map.of(), stdin, new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @Test
    public void helpIsPrintedWithExitZero() {
        assertEquals(0, run(InputStream.nullInputStream(), "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith(Options.USAGE));
    }

    @Test
    public void usageAndConfigurationErrorsExitTwo() {
        assertEquals(2, run(InputStream.nullInputStream(), "--config", "/nonexistent/x.conf", "registry"));
        assertEquals(2, run(InputStream.nullInputStream(), "--server", "https://dm.example.org",
                "--cert", "/nonexistent/cert.pem", "kubernetes", "--cluster", "k", "-"));
    }

    @Test
    public void kubernetesDryRunPrintsTheSnapshotFromStdin() throws Exception {
        int status = run(new ByteArrayInputStream(PODS.getBytes(StandardCharsets.UTF_8)),
                "--dry-run", "kubernetes", "--cluster", "eqiad", "-");

        assertEquals(0, status);
        assertEquals("{\"cluster\":\"eqiad\",\"images\":{\"registry.example.org/app:1\":{\"web\":1}}}",
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toByteArray()).toString());
    }

    @Test
    public void anUnreadablePodListExitsOne() {
        assertEquals(1, run(new ByteArrayInputStream("[]".getBytes(StandardCharsets.UTF_8)),
                "--dry-run", "kubernetes", "--cluster", "eqiad", "-"));
        assertTrue(log.toString(), log.get(0).startsWith("[ERROR] cannot read the pod list -: "));
    }

    @Test
    public void anythingUnexpectedEndsInOneErrorLineAndExitOne() {
        InputStream broken = new InputStream() {
            @Override
            public int read() {
                throw new InternalError("broken stdin");
            }
        };

        assertEquals(1, run(broken, "--dry-run", "kubernetes", "--cluster", "eqiad", "-"));
        assertEquals(List.of("[ERROR] unexpected failure: java.lang.InternalError: broken stdin"), log);

        log.clear();
        assertEquals(1, run(broken, "--verbose", "--dry-run", "kubernetes", "--cluster", "eqiad", "-"));
        assertEquals(2, log.size());
        assertTrue(log.get(1), log.get(1).startsWith("java.lang.InternalError: broken stdin\n\tat "));
    }

    @Test
    public void kubernetesSnapshotIsPosted() throws Exception {
        try (FakeHttp server = new FakeHttp()) {
            server.on("POST", "/kubernetes/update", FakeHttp.Reply.json(201, "{\"missing\":[],\"errors\":[],\"success\":true}"));
            // Plain http: the server URL decides, the TLS context is then unused.
            int status = run(new ByteArrayInputStream(PODS.getBytes(StandardCharsets.UTF_8)),
                    "--server", server.base().toString(), "kubernetes", "--cluster", "eqiad", "-");
            assertEquals(0, status);
            assertEquals("eqiad", new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(server.requests.get(0).body()).get("cluster").asText());
        }
    }
}
