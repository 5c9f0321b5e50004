package io.debmonitor.core.model.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPOutputStream;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.junit.After;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import io.debmonitor.core.model.api.CveFetchCheckDTO;
import io.debmonitor.core.model.api.CveFetchCheckDTO.Result;
import io.debmonitor.core.model.api.CveListImportDTO;
import io.debmonitor.core.model.api.CveListKind;
import io.debmonitor.core.model.api.CveSnapshotDTO;

/**
 * The fetch of CVE.md §2.1 against local HTTP stubs serving the fixture (never the internet), on
 * both databases: Last-Modified and If-Modified-Since, the sha256 dedupe, failures that keep the
 * active snapshot, the size limit, redirects, gzip, a stalled body, and the proxy (http and
 * CONNECT) with the extra CA file.
 */
@RunWith(Parameterized.class)
public class CveFetchServiceTest {

    @Parameterized.Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabase.KINDS;
    }

    private static final Instant T1 = Instant.parse("2026-01-05T10:00:00Z");
    private static final Instant T2 = Instant.parse("2026-01-05T16:00:00Z");
    private static final Instant T3 = Instant.parse("2026-01-06T04:00:00Z");
    private static byte[] fixture;
    private static Path pki;

    /** What the stub does with a GET of /json. */
    private enum Mode { SERVE, CHUNKED, STALL }

    private final String kind;
    private TestDatabase db;
    private CveFeedServiceImpl feed;
    private HttpServer server;
    private HttpsServer tlsServer;
    private final ExecutorService serverThreads = Executors.newCachedThreadPool();
    private final CountDownLatch stalled = new CountDownLatch(1);
    private volatile byte[] body;
    private volatile Instant lastModified;
    private volatile Mode mode = Mode.SERVE;
    private volatile boolean gzip;
    /** The If-Modified-Since of each GET of /json, "-" when absent. */
    private final List<String> ifModifiedSince = new CopyOnWriteArrayList<>();

    public CveFetchServiceTest(String kind) {
        this.kind = kind;
    }

    @BeforeClass
    public static void pki() throws Exception {
        fixture = Files.readAllBytes(CveFeedReaderTest.FIXTURE);
        pki = Files.createTempDirectory("cve-fetch-pki");
        for (String[] args : List.of(new String[] {"ca"}, new String[] {"server", "tracker.test"})) {
            String[] command = new String[args.length + 2];
            command[0] = System.getProperty("pki.script", "../../tools/pki.sh");
            command[1] = pki.toString();
            System.arraycopy(args, 0, command, 2, args.length);
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            assertEquals(output, 0, process.waitFor());
        }
    }

    @Before
    public void setUp() throws Exception {
        db = new TestDatabase(kind);
        feed = new CveFeedServiceImpl(db.database);
        body = fixture;
        lastModified = T1;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/json", this::json);
        server.createContext("/distributions.json", e -> serve(e, ("{\"bookworm\": {\"major-version\": \"12\", \"support\": \"security\"},"
                + " \"sid\": {\"major-version\": \"\"}}").getBytes(StandardCharsets.UTF_8)));
        server.createContext("/DSA/list", e -> serve(e, CveListReaderTest.excerpt().getBytes(StandardCharsets.UTF_8)));
        server.createContext("/DLA/list", e -> serve(e, "no advisory here\n".getBytes(StandardCharsets.UTF_8)));
        server.createContext("/DLA/odd-date", e -> {
            e.getResponseHeaders().set("Last-Modified", "yesterday, around noon");
            byte[] list = ("[31 Jan 2024] DLA-3725-1 libde265 - security update\n\t{CVE-2023-49465}\n"
                    + "\t[buster] - libde265 1.0.3-1+deb10u3\n").getBytes(StandardCharsets.UTF_8);
            e.sendResponseHeaders(200, list.length);
            try (OutputStream out = e.getResponseBody()) {
                out.write(list);
            }
        });
        server.createContext("/to-http", e -> redirect(e, "http://127.0.0.1:" + server.getAddress().getPort() + "/json"));
        server.createContext("/to-https", e -> redirect(e, "https://127.0.0.1:" + tlsServer.getAddress().getPort() + "/json"));
        server.setExecutor(serverThreads);
        server.start();
        tlsServer = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        tlsServer.setHttpsConfigurator(new HttpsConfigurator(serverTls()));
        tlsServer.createContext("/json", this::json);
        tlsServer.setExecutor(serverThreads);
        tlsServer.start();
    }

    @After
    public void tearDown() throws Exception {
        stalled.countDown();
        server.stop(0);
        tlsServer.stop(0);
        serverThreads.shutdownNow();
        db.close();
    }

    /** /json: the body with its Last-Modified, 304 when If-Modified-Since is not older, or a failure of {@link #mode}. */
    private void json(HttpExchange exchange) throws IOException {
        String since = exchange.getRequestHeaders().getFirst("If-Modified-Since");
        ifModifiedSince.add(since == null ? "-" : since);
        byte[] bytes = body;
        if (lastModified != null) {
            exchange.getResponseHeaders().set("Last-Modified", CveHttp.HTTP_DATE.format(lastModified));
        }
        if (since != null && lastModified != null && !CveHttp.httpDate(since).isBefore(lastModified)) {
            exchange.sendResponseHeaders(304, -1);
            exchange.close();
            return;
        }
        String accepted = exchange.getRequestHeaders().getFirst("Accept-Encoding");
        if (gzip && accepted != null && accepted.contains("gzip")) {
            exchange.getResponseHeaders().set("Content-Encoding", "gzip");
            ByteArrayOutputStream compressed = new ByteArrayOutputStream();
            try (OutputStream out = new GZIPOutputStream(compressed)) {
                out.write(bytes);
            }
            bytes = compressed.toByteArray();
        }
        switch (mode) {
            case SERVE -> {
                exchange.sendResponseHeaders(200, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
            case CHUNKED -> {
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
            case STALL -> {
                exchange.sendResponseHeaders(200, bytes.length);
                OutputStream out = exchange.getResponseBody();
                out.write(bytes, 0, 100);
                out.flush();
                try {
                    stalled.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
            }
            default -> throw new IllegalStateException();
        }
    }

    /** A side file, always 200 with the same Last-Modified. */
    private static void serve(HttpExchange exchange, byte[] bytes) throws IOException {
        exchange.getResponseHeaders().set("Last-Modified", "Mon, 05 Jan 2026 10:00:00 GMT");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private static SSLContext serverTls() throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pki.resolve("server.p12"))) {
            keys.load(in, "debmonitor".toCharArray());
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, "debmonitor".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private String tlsUrl(String path) {
        return "https://127.0.0.1:" + tlsServer.getAddress().getPort() + path;
    }

    /** The configuration with its defaults but for the given keys; no side file is fetched unless given. */
    static CveFetchConfiguration config(Object... overrides) {
        Map<String, Object> values = new HashMap<>(Map.of("distributionsUrl", "", "dsaListUrl", "", "dlaListUrl", ""));
        for (int i = 0; i < overrides.length; i += 2) {
            values.put((String) overrides[i], overrides[i + 1]);
        }
        return (CveFetchConfiguration) Proxy.newProxyInstance(CveFetchConfiguration.class.getClassLoader(),
                new Class<?>[] {CveFetchConfiguration.class}, (proxy, method, args) -> values.getOrDefault(method.getName(),
                        method.getDefaultValue()));
    }

    private CveFetchServiceImpl fetcher(Object... overrides) {
        return fetcher(Duration.ofSeconds(10), overrides);
    }

    private CveFetchServiceImpl fetcher(Duration readTimeout, Object... overrides) {
        CveFetchSettings settings = CveFetchSettings.of(config(overrides)).withTimeouts(Duration.ofSeconds(10), readTimeout);
        return new CveFetchServiceImpl(db.database, feed, settings, Clock.systemUTC());
    }

    private static CveFetchCheckDTO only(List<CveFetchCheckDTO> checks) {
        assertEquals(checks.toString(), 1, checks.size());
        return checks.get(0);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    public void conditionalGetsAndTheSha256DedupeImportOnlyWhatChanged() throws Exception {
        CveFetchServiceImpl fetch = fetcher("feedUrl", url("/json"));

        CveFetchCheckDTO first = only(fetch.fetch(false));
        assertEquals(first.toString(), Result.IMPORTED, first.result());
        assertEquals(Integer.valueOf(200), first.httpStatus());
        assertEquals(T1, first.lastModified());
        assertEquals(sha256(fixture), first.sha256());
        assertTrue(first.summary(), first.summary().matches("snapshot \\d+: bookworm \\d+, .* rows, 0 skipped"));
        CveSnapshotDTO active = feed.active().orElseThrow();
        assertEquals(url("/json"), active.origin());
        assertEquals("the snapshot records the Last-Modified", T1, active.lastModified());
        assertEquals(List.of("-"), ifModifiedSince);

        // The same Last-Modified: the server answers 304.
        CveFetchCheckDTO second = only(fetch.fetch(false));
        assertEquals(Result.NOT_MODIFIED, second.result());
        assertEquals("Mon, 05 Jan 2026 10:00:00 GMT", ifModifiedSince.get(1));
        assertEquals(T1, second.importedLastModified());

        // The same bytes under a later Last-Modified: fetched, but not imported.
        lastModified = T2;
        CveFetchCheckDTO third = only(fetch.fetch(false));
        assertEquals(Result.UNCHANGED, third.result());
        assertEquals(Integer.valueOf(200), third.httpStatus());
        assertEquals(T2, third.importedLastModified());
        assertEquals(active.id(), feed.active().orElseThrow().id());
        assertEquals("no snapshot record for a fetch found unchanged", 1, feed.history(10).size());
        assertEquals(Result.NOT_MODIFIED, only(fetch.fetch(false)).result());
        assertEquals("Mon, 05 Jan 2026 16:00:00 GMT", ifModifiedSince.get(3));

        // --force: no If-Modified-Since and no hash check; the import's own rule finds the file equal to the active one.
        CveFetchCheckDTO forced = only(fetch.fetch(true));
        assertEquals("-", ifModifiedSince.get(4));
        assertEquals(Result.UNCHANGED, forced.result());
        assertEquals("unchanged", feed.history(1).get(0).result());

        // A changed feed.
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode document = (ObjectNode) mapper.readTree(fixture);
        ((ObjectNode) document.get("sudo")).putObject("CVE-2099-0001").putObject("releases").putObject("bookworm")
                .put("status", "open").put("urgency", "high");
        body = mapper.writeValueAsBytes(document);
        lastModified = T3;
        CveFetchCheckDTO changed = only(fetch.fetch(false));
        assertEquals(Result.IMPORTED, changed.result());
        assertTrue(changed.summary(), changed.summary().endsWith("; 1 added, 0 removed, 0 changed"));
        assertEquals(T3, feed.active().orElseThrow().lastModified());

        List<CveFetchCheckDTO> checks = fetch.checks();
        assertEquals(1, checks.size());
        assertEquals("feed", checks.get(0).kind());
        assertEquals(changed, checks.get(0));
    }

    @Test
    public void afterAManualImportOfAnotherFileTheNextFetchDownloadsTheUrlAgain() throws Exception {
        CveFetchServiceImpl fetch = fetcher("feedUrl", url("/json"));
        assertEquals(Result.IMPORTED, only(fetch.fetch(false)).result());
        long fetched = feed.active().orElseThrow().id();
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode document = (ObjectNode) mapper.readTree(fixture);
        ((ObjectNode) document.get("sudo")).putObject("CVE-2099-0002").putObject("releases").putObject("bookworm")
                .put("status", "open").put("urgency", "low");
        Path manual = Files.createTempFile("manual-feed", ".json");
        try {
            Files.write(manual, mapper.writeValueAsBytes(document));
            feed.importFeed(manual, "file:" + manual);
        } finally {
            Files.delete(manual);
        }
        assertTrue(feed.active().orElseThrow().id() > fetched);

        // The URL's data is no longer the active one: no If-Modified-Since, and its bytes are imported again.
        CveFetchCheckDTO again = only(fetch.fetch(false));
        assertEquals("-", ifModifiedSince.get(ifModifiedSince.size() - 1));
        assertEquals(again.toString(), Result.IMPORTED, again.result());
        assertEquals(url("/json"), feed.active().orElseThrow().origin());
        assertEquals("then conditional again", Result.NOT_MODIFIED, only(fetch.fetch(false)).result());
    }

    @Test
    public void theSideFilesFollowTheFeedEachWithItsOwnCheck() throws Exception {
        CveFetchServiceImpl fetch = fetcher("feedUrl", url("/json"), "distributionsUrl", url("/distributions.json"), "dsaListUrl",
                url("/DSA/list"), "dlaListUrl", url("/DLA/list"));
        List<CveFetchCheckDTO> checks = fetch.fetch(false);
        assertEquals(List.of("feed", "distributions", "dsa", "dla"), checks.stream().map(CveFetchCheckDTO::kind).toList());
        assertEquals(List.of(Result.IMPORTED, Result.IMPORTED, Result.IMPORTED, Result.FAILED), checks.stream().map(CveFetchCheckDTO::result)
                .toList());
        assertTrue(checks.get(1).summary(), checks.get(1).summary().matches("import \\d+: 2 codenames, 0 skipped"));
        assertTrue(checks.get(2).summary(), checks.get(2).summary().matches("import \\d+: 2 advisories, 0 skipped"));
        assertTrue("a DLA list that is none fails alone: " + checks.get(3).error(), checks.get(3).error() != null);
        var dsa = feed.lists().stream().filter(l -> l.kind() == io.debmonitor.core.model.api.CveListKind.DSA).findFirst().orElseThrow();
        assertEquals(url("/DSA/list"), dsa.origin());
        assertEquals("the list records the Last-Modified as the snapshot does", T1, dsa.lastModified());

        // The same bodies again (the side files' server ignores If-Modified-Since): nothing imported.
        List<CveFetchCheckDTO> again = fetch.fetch(false);
        assertEquals(List.of(Result.NOT_MODIFIED, Result.UNCHANGED, Result.UNCHANGED, Result.FAILED), again.stream()
                .map(CveFetchCheckDTO::result).toList());
        assertEquals(4, fetch.checks().size());
    }

    @Test
    public void aLastModifiedThatIsNoHttpDateIsRecordedAsNone() throws Exception {
        CveFetchServiceImpl fetch = fetcher("feedUrl", "", "dlaListUrl", url("/DLA/odd-date"));
        CveFetchCheckDTO check = only(fetch.fetch(false));
        assertEquals(check.toString(), Result.IMPORTED, check.result());
        assertNull(check.lastModified());
        CveListImportDTO dla = feed.lists().get(0);
        assertEquals(CveListKind.DLA, dla.kind());
        assertEquals("active", dla.result());
        assertNull(dla.lastModified());
    }

    @Test
    public void aBodyThatBreaksOffOrDoesNotImportFailsAndTheActiveSnapshotStays() throws Exception {
        CveFetchServiceImpl fetch = fetcher("feedUrl", url("/json"));
        CveSnapshotDTO active = feed.importFeed(CveFeedReaderTest.FIXTURE, "file:fixture");
        assertNull("a file has no Last-Modified", active.lastModified());

        // Complete as HTTP, but not a whole feed: the import refuses it.
        body = Arrays.copyOf(fixture, fixture.length / 2);
        lastModified = T2;
        CveFetchCheckDTO truncated = only(fetch.fetch(false));
        assertEquals(Result.FAILED, truncated.result());
        assertTrue(truncated.error(), truncated.error().contains("not valid JSON"));
        assertEquals(active.id(), feed.active().orElseThrow().id());
        assertNull(truncated.imported());

        // The connection closes halfway through the announced body.
        try (ServerSocket breaking = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            serverThreads.submit(() -> {
                try (Socket client = breaking.accept()) {
                    InputStream in = client.getInputStream();
                    // The request ends with an empty line; GET has no body.
                    for (int state = 0; state < 4;) {
                        int b = in.read();
                        state = b < 0 ? 4 : (b == '\r' || b == '\n') ? state + 1 : 0;
                    }
                    OutputStream out = client.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + fixture.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(fixture, 0, fixture.length / 2);
                    out.flush();
                }
                return null;
            });
            String url = "http://127.0.0.1:" + breaking.getLocalPort() + "/json";
            CveFetchCheckDTO brokenOff = only(fetcher("feedUrl", url).fetch(false));
            assertEquals(Result.FAILED, brokenOff.result());
            assertTrue(brokenOff.error(), brokenOff.error().startsWith("the body from " + url + " broke off after " + fixture.length / 2
                    + " bytes: "));
            assertEquals(active.id(), feed.active().orElseThrow().id());
            assertEquals(brokenOff, fetch.checks().get(0));
        }
    }

    @Test
    public void aBodyOverTheLimitFails() throws Exception {
        CveFetchServiceImpl fetch = fetcher("feedUrl", url("/json"), "maxFeedBytes", 1000L);
        CveFetchCheckDTO announced = only(fetch.fetch(false));
        assertEquals(Result.FAILED, announced.result());
        assertEquals("the body is " + fixture.length + " bytes, larger than maxFeedBytes (1000)", announced.error());
        mode = Mode.CHUNKED;
        CveFetchCheckDTO streamed = only(fetch.fetch(false));
        assertEquals(Result.FAILED, streamed.result());
        assertEquals("the body is larger than maxFeedBytes (1000 bytes)", streamed.error());
        gzip = true;
        mode = Mode.SERVE;
        assertEquals("the body is larger than maxFeedBytes (5000 bytes) once decompressed",
                only(fetcher("feedUrl", url("/json"), "maxFeedBytes", 5000L).fetch(false)).error());
        assertTrue(feed.active().isEmpty());
        assertTrue(feed.history(10).isEmpty());
    }

    @Test
    public void aGzipBodyIsDecodedAndHashedAsThePlainFeed() throws Exception {
        gzip = true;
        CveFetchServiceImpl fetch = fetcher("feedUrl", url("/json"));
        CveFetchCheckDTO check = only(fetch.fetch(false));
        assertEquals(Result.IMPORTED, check.result());
        assertEquals(sha256(fixture), check.sha256());
        assertEquals(sha256(fixture), feed.active().orElseThrow().sha256());
        gzip = false;
        lastModified = T2;
        assertEquals(Result.UNCHANGED, only(fetch.fetch(false)).result());
    }

    @Test
    public void aStalledBodyFailsAfterTheReadTimeout() throws Exception {
        mode = Mode.STALL;
        CveFetchCheckDTO check = only(fetcher(Duration.ofMillis(500), "feedUrl", url("/json")).fetch(false));
        assertEquals(Result.FAILED, check.result());
        assertTrue(check.error(), check.error().startsWith("no data from " + url("/json") + " for 0.5 s after 100 bytes"));
        assertTrue(feed.active().isEmpty());
    }

    @Test
    public void redirectsAreFollowedOnlyToHttps() throws Exception {
        CveFetchCheckDTO toHttp = only(fetcher("feedUrl", url("/to-http")).fetch(false));
        assertEquals(Result.FAILED, toHttp.result());
        assertEquals(Integer.valueOf(302), toHttp.httpStatus());
        assertEquals(url("/to-http") + " redirected to " + url("/json") + ", refused: only redirects to https are followed", toHttp.error());
        assertEquals("the http URL was never fetched", List.of(), ifModifiedSince);

        CveFetchCheckDTO toHttps = only(fetcher("feedUrl", url("/to-https"), "caFile", pki.resolve("ca.pem").toString()).fetch(false));
        assertEquals(toHttps.toString(), Result.IMPORTED, toHttps.result());
        assertEquals(url("/to-https"), feed.active().orElseThrow().origin());
        assertEquals(T1, feed.active().orElseThrow().lastModified());
    }

    @Test
    public void httpsIsVerifiedWithTheJvmCasPlusCaFile() throws Exception {
        CveFetchCheckDTO untrusted = only(fetcher("feedUrl", tlsUrl("/json")).fetch(false));
        assertEquals(Result.FAILED, untrusted.result());
        assertTrue(untrusted.error(), untrusted.error().startsWith("TLS with 127.0.0.1 failed: ")
                && untrusted.error().endsWith("(caFile adds the CA of an intercepting proxy)"));
        assertEquals(Result.IMPORTED, only(fetcher("feedUrl", tlsUrl("/json"), "caFile", pki.resolve("ca.pem").toString()).fetch(false))
                .result());
    }

    @Test
    public void httpGoesThroughTheProxyWithItsCredentials() throws Exception {
        try (TestHttpProxy proxy = new TestHttpProxy("fetcher:s3cret+/")) {
            CveFetchCheckDTO check = only(fetcher("feedUrl", url("/json"), "httpProxy", "http://fetcher:s3cret%2B%2F@127.0.0.1:" + proxy.port())
                    .fetch(false));
            assertEquals(check.toString(), Result.IMPORTED, check.result());
            assertTrue(proxy.requests.toString(), proxy.requests.contains("GET " + url("/json") + " HTTP/1.1"));
            assertTrue(proxy.authorizations.toString(), proxy.authorizations.contains("Basic ZmV0Y2hlcjpzM2NyZXQrLw=="));

            CveFetchCheckDTO refused = only(fetcher("feedUrl", url("/json"), "httpProxy", "http://fetcher:wrong@127.0.0.1:" + proxy.port())
                    .fetch(true));
            assertEquals(Result.FAILED, refused.result());
            assertEquals(Integer.valueOf(407), refused.httpStatus());
            assertEquals("the proxy 127.0.0.1:" + proxy.port() + " refused the credentials of httpProxy (407)", refused.error());
        }
    }

    @Test
    public void httpsGoesThroughTheProxyWithConnect() throws Exception {
        try (TestHttpProxy proxy = new TestHttpProxy(null)) {
            CveFetchCheckDTO check = only(fetcher("feedUrl", tlsUrl("/json"), "httpProxy", "http://127.0.0.1:" + proxy.port(), "caFile",
                    pki.resolve("ca.pem").toString()).fetch(false));
            assertEquals(check.toString(), Result.IMPORTED, check.result());
            assertEquals(List.of("CONNECT 127.0.0.1:" + tlsServer.getAddress().getPort() + " HTTP/1.1"), proxy.requests);
        }
        try (TestHttpProxy proxy = new TestHttpProxy("fetcher:secret")) {
            CveFetchServiceImpl fetch = fetcher("feedUrl", tlsUrl("/json"), "httpProxy", "http://fetcher:secret@127.0.0.1:" + proxy.port(),
                    "caFile", pki.resolve("ca.pem").toString());
            CveFetchCheckDTO check = only(fetch.fetch(true));
            if (CveHttp.tunnelingCredentialsBlocked(CveFetchSettings.of(config("httpProxy", "http://u:p@127.0.0.1:1")))) {
                // The JDK's default: Basic credentials never go through a CONNECT; the error says what to set.
                assertEquals(Result.FAILED, check.result());
                assertTrue(check.error(), check.error().contains("system property jdk.http.auth.tunneling.disabledSchemes is set to empty"));
            } else {
                assertEquals(check.toString(), Result.IMPORTED, check.result());
            }
        }
    }

    @Test
    public void oneFetchAtATimeAndEachScheduledSlotOnce() throws Exception {
        CveFetchServiceImpl scheduled = fetcher("feedUrl", url("/json"), "enabled", true);
        Instant slot = Instant.parse("2026-01-05T06:07:00Z");
        assertEquals(Result.IMPORTED, only(scheduled.fetchScheduled(slot).orElseThrow()).result());
        assertTrue("another node firing for the same slot skips it", scheduled.fetchScheduled(slot).isEmpty());
        assertEquals(Result.NOT_MODIFIED, only(scheduled.fetchScheduled(slot.plusSeconds(6 * 3600)).orElseThrow()).result());
        assertEquals("0 7 0/6 * * ?", scheduled.schedule());

        CveFetchServiceImpl off = fetcher("feedUrl", url("/json"));
        assertNull(off.schedule());
        assertTrue("the scheduled fetch is off by default", off.fetchScheduled(slot.plusSeconds(12 * 3600)).isEmpty());

        try (var c = db.dataSource.getConnection(); var st = c.createStatement()) {
            st.executeUpdate("update job_lease set holder = 'other-node/1', expires = '2999-01-01 00:00:00' where name = 'cve-fetch'");
        }
        IllegalStateException busy = assertThrows(IllegalStateException.class, () -> off.fetch(false));
        assertTrue(busy.getMessage(), busy.getMessage().startsWith("A CVE fetch is already running"));
        assertTrue(scheduled.fetchScheduled(slot.plusSeconds(18 * 3600)).isEmpty());
        assertEquals(2, ifModifiedSince.size());
    }

    @Test
    public void turnedOffCveCorrelationRefusesImportsAndFetches() throws Exception {
        CveConfiguration off = (CveConfiguration) Proxy.newProxyInstance(CveConfiguration.class.getClassLoader(),
                new Class<?>[] {CveConfiguration.class}, (proxy, method, args) -> method.getName().equals("enabled") ? false
                        : method.getDefaultValue());
        feed.modified(off);
        assertEquals(false, feed.enabled());
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> feed.importFeed(CveFeedReaderTest.FIXTURE, "file:x"));
        assertEquals(CveFeedServiceImpl.DISABLED, refused.getMessage());
        CveFetchServiceImpl fetch = fetcher("feedUrl", url("/json"), "enabled", true);
        assertEquals(CveFeedServiceImpl.DISABLED, assertThrows(IllegalStateException.class, () -> fetch.fetch(false)).getMessage());
        assertTrue(fetch.fetchScheduled(Instant.parse("2026-01-05T06:07:00Z")).isEmpty());
        assertEquals(List.of(), ifModifiedSince);
        assertTrue(feed.history(10).isEmpty());
    }

    @Test
    public void invalidSettingsFailActivation() {
        for (Object[] bad : List.of(new Object[] {"httpProxy", "proxy.example.org:3128"}, new Object[] {"httpProxy", "https://proxy:3128"},
                new Object[] {"httpProxy", "http://proxy.example.org"}, new Object[] {"httpProxy", "http://user@proxy:3128"},
                new Object[] {"feedUrl", "ftp://example.org/json"}, new Object[] {"feedUrl", "https://u:p@example.org/json"},
                new Object[] {"caFile", "/nonexistent/ca.pem"}, new Object[] {"caFile", CveFeedReaderTest.FIXTURE.toString()})) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CveFetchSettings.of(config(bad)));
            assertTrue(e.getMessage(), e.getMessage().startsWith("io.debmonitor.cve.fetch: " + bad[0] + " "));
        }
        IllegalArgumentException secret = assertThrows(IllegalArgumentException.class,
                () -> CveFetchSettings.of(config("httpProxy", "http://user:hunter2@proxy/x")));
        assertTrue("the password is not repeated: " + secret.getMessage(), !secret.getMessage().contains("hunter2"));

        CveFetchSettings settings = CveFetchSettings.of(config("httpProxy", "http://us%40er:p%3Ass@proxy.example.org:3128/", "dsaListUrl",
                "https://salsa.example.org/DSA/list"));
        assertEquals(new CveFetchSettings.Proxy("proxy.example.org", 3128, "us@er", "p:ss"), settings.proxy());
        assertEquals("proxy.example.org:3128", settings.proxy().toString());
        assertEquals(List.of("feed", "dsa"), List.copyOf(settings.urls().keySet()));
        CveFetchSettings defaults = CveFetchSettings.of((CveFetchConfiguration) Proxy.newProxyInstance(CveFetchConfiguration.class.getClassLoader(),
                new Class<?>[] {CveFetchConfiguration.class}, (proxy, method, args) -> method.getDefaultValue()));
        assertEquals(List.of("feed", "distributions", "dsa", "dla"), List.copyOf(defaults.urls().keySet()));
        assertEquals(536870912L, defaults.maxBytes());
        assertEquals(false, defaults.enabled());
        assertNull(defaults.proxy());
    }

    @Test
    public void httpDates() {
        assertEquals(T1, CveHttp.httpDate("Mon, 05 Jan 2026 10:00:00 GMT"));
        assertEquals(T1, CveHttp.httpDate("Mon, 5 Jan 2026 10:00:00 GMT"));
        assertNull("obsolete formats are not used", CveHttp.httpDate("Monday, 05-Jan-26 10:00:00 GMT"));
        assertNull(CveHttp.httpDate(null));
        assertEquals("Mon, 05 Jan 2026 10:00:00 GMT", CveHttp.HTTP_DATE.format(T1));
    }
}
