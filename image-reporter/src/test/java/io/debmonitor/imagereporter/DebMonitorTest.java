package io.debmonitor.imagereporter;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

public class DebMonitorTest {

    private static final String NAME = "registry.example.org/library/debian:12";
    private static final byte[] BODY = "{\"api_version\":\"v1\"}".getBytes(StandardCharsets.UTF_8);

    private FakeHttp server;
    private final List<Long> waits = Collections.synchronizedList(new ArrayList<>());
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private Consumer<String> previousSink;

    @Before
    public void start() throws Exception {
        server = new FakeHttp();
        previousSink = Log.setSink(log::add);
    }

    @After
    public void stop() {
        Log.setSink(previousSink);
        server.close();
    }

    private DebMonitor client(URI base, int retries) {
        return new DebMonitor(base, FakeRegistry.plainHttp(), Duration.ofSeconds(5), retries, waits::add);
    }

    /** Answers the given statuses in turn, then repeats the last. */
    private void answers(String method, String path, FakeHttp.Reply... replies) {
        int[] next = {0};
        server.on(method, path, r -> replies[Math.min(next[0]++, replies.length - 1)]);
    }

    @Test
    public void retriesA503HonouringRetryAfterThenSucceedsOn201() {
        answers("POST", "/images/" + NAME + "/update",
                FakeHttp.Reply.json(503, "{\"error\":\"database unavailable\"}").with("Retry-After", "5"),
                FakeHttp.Reply.json(503, "{\"error\":\"database unavailable\"}"),
                FakeHttp.Reply.empty(201));

        assertTrue(client(server.base(), 3).postImage(NAME, BODY));

        List<FakeHttp.Request> posts = server.requestsTo("/images/");
        assertEquals(3, posts.size());
        assertEquals("/images/" + NAME + "/update", posts.get(0).target());
        assertEquals("application/json", posts.get(0).header("Content-Type"));
        assertEquals(new String(BODY, StandardCharsets.UTF_8), posts.get(2).bodyText());
        assertEquals(List.of(5000L, 2000L), waits); // Retry-After, then the backoff of the second retry
    }

    @Test
    public void a400IsNotRetriedAndItsMessageIsLogged() {
        answers("POST", "/images/" + NAME + "/update", FakeHttp.Reply.json(400, "{\"error\":\"os: invalid\"}"));

        assertFalse(client(server.base(), 3).postImage(NAME, BODY));

        assertEquals(1, server.requestsTo("/images/").size());
        assertTrue(waits.isEmpty());
        assertTrue(log.toString(), log.contains("[ERROR] cannot send the report of " + NAME + ": HTTP 400: os: invalid"));
    }

    @Test
    public void onlyA201IsSuccessForAnImage() {
        answers("POST", "/images/" + NAME + "/update", FakeHttp.Reply.json(202, "{}"));
        assertFalse(client(server.base(), 3).postImage(NAME, BODY));
    }

    @Test
    public void givesUpAfterTheRetries() {
        answers("POST", "/images/" + NAME + "/update", FakeHttp.Reply.json(502, "bad gateway"));

        assertFalse(client(server.base(), 2).postImage(NAME, BODY));

        assertEquals(3, server.requestsTo("/images/").size());
        assertTrue(log.toString(), log.get(log.size() - 1).endsWith("HTTP 502: bad gateway (after 2 retries)"));
    }

    @Test
    public void connectErrorsAreRetried() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertFalse(client(URI.create("http://127.0.0.1:" + port), 2).postImage(NAME, BODY));
        assertEquals(List.of(1000L, 2000L), waits);
        assertTrue(log.toString(), log.get(log.size() - 1).contains("cannot connect"));
    }

    @Test
    public void kubernetesPartialSnapshotIsSuccessWithOneWarningLine() {
        answers("POST", "/kubernetes/update", FakeHttp.Reply.json(202, "{\"missing\":[\"a:1\",\"b:2\",\"c:3\",\"d:4\","
                + "\"e:5\",\"f:6\"],\"errors\":[{\"image\":\"g:7\",\"cluster\":\"k\",\"namespace\":\"ns\","
                + "\"error\":\"bad count\"}],\"success\":false}"));

        assertTrue(client(server.base(), 3).postKubernetes("k", BODY));

        assertEquals(List.of("[WARNING] DebMonitor applied the snapshot of cluster k in part: 6 missing images"
                + " (a:1, b:2, c:3, d:4, e:5, ...), 1 error (g:7 in ns: bad count)"), log);
    }

    @Test
    public void kubernetesFullSnapshotAndRefusal() {
        answers("POST", "/kubernetes/update", FakeHttp.Reply.json(201, "{\"missing\":[],\"errors\":[],\"success\":true}"),
                FakeHttp.Reply.json(403, "{\"error\":\"not a kubernetes reporter\"}"));
        DebMonitor client = client(server.base(), 3);
        assertTrue(client.postKubernetes("k", BODY));
        assertFalse(client.postKubernetes("k", BODY));
    }

    @Test
    public void lookupReadsDigestAndModified() {
        server.on("GET", "/images/" + NAME, r -> "application/json".equals(r.header("Accept"))
                ? FakeHttp.Reply.json(200, "{\"name\":\"" + NAME + "\",\"os\":\"Debian 12\",\"created\":"
                        + "\"2025-07-01T10:00:00.000Z\",\"modified\":\"2025-07-03T14:10:09.483Z\",\"digest\":\"sha256:ab\"}")
                : FakeHttp.Reply.of(200, "text/html", new byte[1]));

        DebMonitor.StoredImage stored = client(server.base(), 0).lookup(NAME);

        assertEquals("sha256:ab", stored.digest());
        assertEquals(Instant.parse("2025-07-03T14:10:09.483Z"), stored.modified());
    }

    @Test
    public void lookupOfAnUnknownImageOrAFailureIsNull() {
        assertNull(client(server.base(), 0).lookup("unknown/x:1"));
        assertTrue(log.isEmpty());

        server.on("GET", "/images/broken/x:1", FakeHttp.Reply.json(500, "{\"error\":\"bug 12\"}"));
        assertNull(client(server.base(), 0).lookup("broken/x:1"));
        assertEquals(List.of("[WARNING] cannot look up broken/x:1 on DebMonitor (HTTP 500: bug 12); reporting it"), log);
    }

    @Test
    public void aLongRetryAfterIsCappedAtTwoMinutes() {
        answers("POST", "/images/" + NAME + "/update",
                FakeHttp.Reply.json(429, "{\"error\":\"slow down\"}").with("Retry-After", "3600"),
                FakeHttp.Reply.empty(201));

        assertTrue(client(server.base(), 1).postImage(NAME, BODY));

        assertEquals(List.of(120_000L), waits);
    }

    @Test
    public void backoffDoublesUpToAMinuteAndRetryAfterWins() {
        assertEquals(List.of(1000L, 2000L, 4000L, 60_000L),
                List.of(Retry.waitMillis(1, -1), Retry.waitMillis(2, -1), Retry.waitMillis(3, -1), Retry.waitMillis(9, -1)));
        assertEquals(7000, Retry.waitMillis(3, 7));
        assertEquals(0, Retry.waitMillis(2, 0));
    }
}
