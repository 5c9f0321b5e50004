package io.debmonitor.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.replaceConfigurationFile;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.rules.ExternalResource;
import org.ops4j.pax.exam.ExamSystem;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.TestContainer;
import org.ops4j.pax.exam.spi.PaxExamRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The assembled distribution, booted from plain JUnit (a browser cannot run inside the OSGi
 * container), with ItestSupport's options plus UI users, and seeded over mutual TLS once it
 * answers. The tests reach it only over HTTP(S), as a person or a client would.
 *
 * <p>{@link #shared()} is one instance for the whole web UI suite: every class of the suite
 * declares it as its {@code @ClassRule}, and the distribution boots with the first user and stops
 * with the last, so the suite boots once and each class still runs on its own.
 */
final class UiDistribution extends ExternalResource {

    /** UI users of the karaf realm (etc/users.properties): a viewer, an admin, and a user with no DebMonitor role. */
    static final String VIEWER = "itest-viewer";
    static final String VIEWER_PASSWORD = "viewer-Secret-1";
    static final String ADMIN = "itest-admin";
    static final String ADMIN_PASSWORD = "admin-Secret-2";
    static final String NO_ROLE = "itest-operator";
    static final String NO_ROLE_PASSWORD = "operator-Secret-3";
    /** A host of the fleet with a certificate of its own (the others report through the host proxy). */
    static final String HOST_IDENTITY = "db1001.example.org";

    static final ObjectMapper JSON = new ObjectMapper();
    private static final UiDistribution SHARED = new UiDistribution("WebUiIT", Fleet.standard());

    private final Logger logger = LoggerFactory.getLogger(UiDistribution.class);
    private final String name;
    private final Seeder seeder;
    private int users;
    private TestContainer container;
    private ItestSupport.Distribution distribution;
    private HttpClient proxyClient;
    private HttpClient hostClient;
    private HttpClient anonymousClient;
    private final HttpClient plainClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Writes the data the tests read, once the distribution answers. */
    @FunctionalInterface
    interface Seeder {
        void seed(UiDistribution distribution) throws Exception;
    }

    UiDistribution(String name, Seeder seeder) {
        this.name = name;
        this.seeder = seeder;
    }

    static UiDistribution shared() {
        return SHARED;
    }

    static String db() {
        return System.getProperty("itest.db", "h2");
    }

    @Override
    protected synchronized void before() throws Throwable {
        if (users++ > 0) {
            return;
        }
        try {
            start();
        } catch (Throwable e) {
            users = 0;
            stop();
            throw e;
        }
    }

    @Override
    protected synchronized void after() {
        if (--users == 0) {
            stop();
        }
    }

    private void start() throws Exception {
        long started = System.nanoTime();
        distribution = ItestSupport.distribution(name, replaceConfigurationFile("etc/users.properties", usersFile()));
        // A test system, not a server system: its remote bundle context is what lets stop() shut Karaf down.
        ExamSystem system = PaxExamRuntime.createTestSystem(distribution.options().toArray(new Option[0]));
        container = PaxExamRuntime.createContainer(system);
        container.start();
        Path ca = distribution.pki().toPath().resolve("ca.pem");
        proxyClient = ItestSupport.tlsClient(ca, distribution.pki().toPath().resolve(ItestSupport.PROXY + ".p12"));
        hostClient = ItestSupport.tlsClient(ca, distribution.pki().toPath().resolve(HOST_IDENTITY + ".p12"));
        anonymousClient = ItestSupport.tlsClient(ca, null);
        awaitReady();
        long booted = System.nanoTime();
        seeder.seed(this);
        logger.info("{} on {}: booted in {} s, seeded in {} s", name, db(), TimeUnit.NANOSECONDS.toSeconds(booted - started),
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - booted));
    }

    private void stop() {
        if (container != null) {
            try {
                container.stop();
            } catch (RuntimeException e) {
                logger.warn("Stopping the {} distribution failed", name, e);
            }
            container = null;
        }
    }

    private static File usersFile() throws IOException {
        Path file = Files.createTempFile("users", ".properties");
        Files.writeString(file, String.join("\n",
                VIEWER + " = " + VIEWER_PASSWORD + ",_g_:viewergroup",
                ADMIN + " = " + ADMIN_PASSWORD + ",_g_:admingroup",
                NO_ROLE + " = " + NO_ROLE_PASSWORD + ",_g_:operatorgroup",
                "_g_\\:viewergroup = group,viewer",
                "_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh",
                "_g_\\:operatorgroup = group,manager",
                ""));
        file.toFile().deleteOnExit();
        return file.toFile();
    }

    /**
     * Waits until the login page (the UI bundle) and the v1 endpoints answer (a DELETE of an
     * unknown host gets its own 404), then, for at most a minute more, until /healthz says ready.
     * A /healthz that never does is left to the test that checks it, which shows its problems.
     */
    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        String last = "no answer";
        while (!serving()) {
            if (System.nanoTime() > deadline) {
                try {
                    last = get(proxyClient, "/healthz").body();
                } catch (IOException e) {
                    last = e.toString();
                }
                fail("The " + name + " distribution did not serve the UI and the v1 endpoints; /healthz: " + last);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
        }
        deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (get(anonymousClient, "/healthz").statusCode() != 200 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
        }
    }

    private boolean serving() throws InterruptedException {
        try {
            HttpResponse<String> delete = send(proxyClient, "DELETE", httpsUrl("/hosts/ready.invalid"), null);
            return get(anonymousClient, "/login").statusCode() == 200 && delete.statusCode() == 404 && delete.body().contains("No host named");
        } catch (IOException e) {
            return false;
        }
    }

    String httpsUrl(String path) {
        return "https://localhost:" + distribution.httpsPort() + path;
    }

    String httpUrl(String path) {
        return "http://localhost:" + distribution.httpPort() + path;
    }

    /** The test PKI: ca.pem, and NAME.pem, NAME.key and NAME.p12 of each client identity. */
    Path pki() {
        return distribution.pki().toPath();
    }

    String httpsPort() {
        return distribution.httpsPort();
    }

    /** HTTPS with the host proxy's certificate: an identity that may write any host and read every page. */
    HttpClient proxy() {
        return proxyClient;
    }

    /** HTTPS with {@link #HOST_IDENTITY}'s own certificate. */
    HttpClient host() {
        return hostClient;
    }

    /** HTTPS without a client certificate: a browser, logged in or not. */
    HttpClient anonymous() {
        return anonymousClient;
    }

    /** Plain HTTP, from 127.0.0.1 but without proxy headers: no identity. */
    HttpClient plain() {
        return plainClient;
    }

    HttpResponse<String> get(HttpClient client, String path, String... headers) throws IOException, InterruptedException {
        return send(client, "GET", httpsUrl(path), null, headers);
    }

    HttpResponse<String> send(HttpClient client, String method, String url, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** GET as JSON ({@code format=json}), expecting 200. */
    JsonNode json(HttpClient client, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get(client, path + (path.contains("?") ? "&" : "?") + "format=json");
        assertEquals(path + ": " + response.body(), 200, response.statusCode());
        return JSON.readTree(response.body());
    }

    /** Posts one full host report over mutual TLS (the host's own certificate, else the proxy's), expecting 201. */
    void report(Fleet.Host host) throws IOException, InterruptedException {
        HttpClient client = host.name().equals(HOST_IDENTITY) ? hostClient : proxyClient;
        HttpResponse<String> response = send(client, "POST", httpsUrl("/hosts/" + Fleet.pathSegment(host.name()) + "/update"),
                host.report(), "Content-Type", "application/json");
        assertEquals(host.name() + ": " + response.body(), 201, response.statusCode());
    }
}
