package io.debmonitor.client;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;

/** The real transport against a local HTTPS server that requires a client certificate. */
public class SenderHttpsTest {

    /** One request as the server saw it. */
    record Seen(String method, String path, Map<String, List<String>> headers, String body, String clientCn) {
    }

    /** One scripted answer. */
    record Answer(int status, String body, String retryAfter) {
    }

    private static TestPki pki;
    private static HttpsServer server;
    private static final List<Seen> SEEN = Collections.synchronizedList(new ArrayList<>());
    private static final Deque<Answer> ANSWERS = new ConcurrentLinkedDeque<>();

    private final List<String> logged = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> sleeps = Collections.synchronizedList(new ArrayList<>());
    private Consumer<String> oldSink;
    private Path config;

    @BeforeClass
    public static void startServer() throws Exception {
        pki = new TestPki();
        SSLContext context = Transport.sslContext(pki.serverCert.toString(), pki.serverKey.toString(),
                pki.ca.toString());
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = context.getDefaultSSLParameters();
                p.setNeedClientAuth(true);
                params.setSSLParameters(p);
            }
        });
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String cn = ((X509Certificate) ((HttpsExchange) exchange).getSSLSession().getPeerCertificates()[0])
                    .getSubjectX500Principal().getName();
            SEEN.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    Map.copyOf(exchange.getRequestHeaders()), new String(body, StandardCharsets.UTF_8), cn));
            Answer a = ANSWERS.isEmpty() ? new Answer(201, "", null) : ANSWERS.poll();
            if (a.retryAfter != null) {
                exchange.getResponseHeaders().add("Retry-After", a.retryAfter);
            }
            byte[] out = a.body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(a.status, out.length == 0 ? -1 : out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.start();
    }

    @AfterClass
    public static void stopServer() throws Exception {
        if (server != null) {
            server.stop(0);
        }
        if (pki != null) {
            pki.delete();
        }
    }

    @Before
    public void reset() throws Exception {
        SEEN.clear();
        ANSWERS.clear();
        oldSink = Log.setSink(logged::add);
        Log.setThreshold(Log.Level.INFO);
        config = Files.createTempFile("debmonitor", ".conf");
        Files.writeString(config, "[DEFAULT]\n");
    }

    @After
    public void restore() throws Exception {
        Log.setSink(oldSink);
        Log.setThreshold(Log.Level.INFO);
        Files.deleteIfExists(config);
    }

    private Options options(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--config", config.toString(), "-s", "localhost",
                "-p", Integer.toString(server.getAddress().getPort()), "-c", pki.clientCert.toString(),
                "-k", pki.clientKey.toString(), "--ca", pki.ca.toString(), "--retry-backoff", "60"));
        args.addAll(List.of(extra));
        return Options.parse(args.toArray(new String[0]), new ByteArrayInputStream(new byte[0]));
    }

    private Sender sender(Options o) throws Exception {
        HttpClient client = Transport.client(o, Map.of());
        return new Sender(client, o.port, o.retries, o.retryBackoff, o.readTimeout, "debmonitor-client/test",
                sleeps::add);
    }

    private static final byte[] BODY = "{\"api_version\":\"v1\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    public void createdIsSuccessAndTheRequestIsAsSpecified() throws Exception {
        Options o = options();
        Set<String> pending = ConcurrentHashMap.newKeySet();
        pending.add("localhost");
        assertTrue(sender(o).sendAll(o.servers, "/hosts/db1001.example.org/update", BODY, "full", pending));
        assertTrue(pending.isEmpty());
        assertEquals(1, SEEN.size());
        Seen s = SEEN.get(0);
        assertEquals("POST", s.method);
        assertEquals("/hosts/db1001.example.org/update", s.path);
        assertEquals(List.of("application/json"), s.headers.get("Content-type"));
        assertEquals(List.of("debmonitor-client/test"), s.headers.get("User-agent"));
        assertEquals("{\"api_version\":\"v1\"}", s.body);
        assertEquals("CN=client.example.org", s.clientCn);
        assertEquals(List.of("[INFO] Sent the full update to localhost"), logged);
    }

    @Test
    public void imageReferencesAreSentUnencoded() throws Exception {
        Options o = options();
        assertTrue(sender(o).send("localhost", "/images/registry.example.org/app:1.0@sha256:ab12/update", BODY, "full"));
        assertEquals("/images/registry.example.org/app:1.0@sha256:ab12/update", SEEN.get(0).path);
    }

    @Test
    public void clientErrorsAreNotRetriedAndQuoteTheMessage() throws Exception {
        ANSWERS.add(new Answer(400, "{\"error\": \"os: invalid OS name\"}", null));
        assertFalse(sender(options()).send("localhost", "/hosts/h/update", BODY, "full"));
        assertEquals(1, SEEN.size());
        assertEquals(List.of("[ERROR] Failed to send the full update to localhost: HTTP 400: os: invalid OS name"),
                logged);
    }

    @Test
    public void otherSuccessStatusesAreFailures() throws Exception {
        ANSWERS.add(new Answer(200, "", null));
        assertFalse(sender(options()).send("localhost", "/hosts/h/update", BODY, "full"));
        assertEquals(1, SEEN.size());
    }

    @Test
    public void retryAfterIsHonoured() throws Exception {
        ANSWERS.add(new Answer(503, "{\"error\": \"database unavailable\"}", "5"));
        ANSWERS.add(new Answer(201, "", null));
        assertTrue(sender(options()).send("localhost", "/hosts/h/update", BODY, "upgradable"));
        assertEquals(2, SEEN.size());
        assertEquals(List.of(5_000L), sleeps);
    }

    @Test
    public void retriesStopAfterTheConfiguredNumber() throws Exception {
        for (int i = 0; i < 3; i++) {
            ANSWERS.add(new Answer(502, "bad gateway", null));
        }
        ANSWERS.add(new Answer(201, "", null)); // never reached
        assertFalse(sender(options("--retries", "2")).send("localhost", "/hosts/h/update", BODY, "full"));
        assertEquals(3, SEEN.size());
        // first retry immediate, second after backoff × 2 = 120 s (capped)
        assertEquals(List.of(120_000L), sleeps);
        assertTrue(logged.get(logged.size() - 1), logged.get(logged.size() - 1)
                .equals("[ERROR] Failed to send the full update to localhost: HTTP 502: bad gateway (after 2 retries)"));
    }

    @Test
    public void hostnameIsVerifiedAndTlsErrorsAreNotRetried() throws Exception {
        // The server certificate names localhost only.
        Options o = options("-s", "127.0.0.1");
        Set<String> pending = ConcurrentHashMap.newKeySet();
        pending.addAll(o.servers);
        assertEquals(List.of("localhost", "127.0.0.1"), o.servers);
        assertFalse("one failing server fails the run", sender(o).sendAll(o.servers, "/hosts/h/update", BODY, "full",
                pending));
        assertEquals("the other server still got the report", 1, SEEN.size());
        assertTrue(pending.isEmpty());
        assertTrue(sleeps.isEmpty());
        assertTrue(logged.toString(), logged.stream().anyMatch(
                l -> l.startsWith("[ERROR] Failed to send the full update to 127.0.0.1: SSLHandshakeException")));
    }

    @Test
    public void unknownServerCaIsRejected() throws Exception {
        List<String> args = new ArrayList<>(List.of("--config", config.toString(), "-s", "localhost", "-p",
                Integer.toString(server.getAddress().getPort()), "-c", pki.clientCert.toString(), "-k",
                pki.clientKey.toString(), "--ca", pki.otherCa.toString()));
        Options o = Options.parse(args.toArray(new String[0]), new ByteArrayInputStream(new byte[0]));
        assertFalse(sender(o).send("localhost", "/hosts/h/update", BODY, "full"));
        assertTrue(SEEN.isEmpty());
    }

    @Test
    public void mainSendsAnImageFileVerbatim() throws Exception {
        Path file = Files.createTempFile("image", ".json");
        String text = "{\"image_name\": \"registry.example.org/app:1.0\",\n \"update_type\": \"full\", \"os\": \"Debian 12\"}";
        Files.writeString(file, text);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code = Main.run(new String[] {"--config", config.toString(), "-s", "localhost", "-p",
                    Integer.toString(server.getAddress().getPort()), "-c", pki.clientCert.toString(), "-k",
                    pki.clientKey.toString(), "--ca", pki.ca.toString(), "-f", file.toString()},
                    new ByteArrayInputStream(new byte[0]), new PrintStream(out), Map.of(), Instant.now());
            assertEquals(0, code);
            assertEquals("/images/registry.example.org/app:1.0/update", SEEN.get(0).path);
            assertEquals(text, SEEN.get(0).body);
            assertTrue(SEEN.get(0).headers.get("User-agent").get(0).startsWith("debmonitor-client/"));
            assertEquals(0, out.size());
        } finally {
            Files.delete(file);
        }
    }

    @Test
    public void keyInsideTheCertificateFileIsUsed() throws Exception {
        Path both = pki.dir.resolve("both.pem");
        Files.writeString(both, Files.readString(pki.clientCert) + Files.readString(pki.clientKey));
        List<String> args = List.of("--config", config.toString(), "-s", "localhost", "-p",
                Integer.toString(server.getAddress().getPort()), "-c", both.toString(), "--ca", pki.ca.toString());
        Options o = Options.parse(args.toArray(new String[0]), new ByteArrayInputStream(new byte[0]));
        assertTrue(sender(o).send("localhost", "/hosts/h/update", BODY, "full"));
        assertEquals("CN=client.example.org", SEEN.get(0).clientCn);
    }
}
