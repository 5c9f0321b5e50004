package io.debmonitor.itests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real Docker registry (Debian's docker-registry, distribution 2.8) on a free loopback port, over TLS with a
 * server certificate of a test CA (made by tools/pki.sh), storing on the file system, optionally behind token
 * auth served by a {@link TokenServer}. {@link #close()} stops it and deletes all its files, log included.
 */
public final class TestRegistry implements AutoCloseable {

    private static final String BINARY = "/usr/bin/docker-registry";
    private static final Duration STARTUP = Duration.ofSeconds(30);

    private final Path dir;
    private final int port;
    private final String user;
    private final String password;
    private TokenServer tokenServer;
    private Process process;
    private SSLContext sslContext;

    private TestRegistry(String user, String password) throws IOException {
        this.dir = Files.createTempDirectory("test-registry");
        this.port = freePort();
        this.user = user;
        this.password = password;
    }

    /** A registry anyone may pull from and push to. */
    public static TestRegistry plain() throws Exception {
        return start(new TestRegistry(null, null));
    }

    /** A registry that wants Bearer tokens from a {@link TokenServer} that knows this one user. */
    public static TestRegistry withTokenAuth(String user, String password) throws Exception {
        return start(new TestRegistry(user, password));
    }

    private static TestRegistry start(TestRegistry registry) throws Exception {
        try {
            registry.startProcess();
            return registry;
        } catch (Exception | Error e) {
            registry.close();
            throw e;
        }
    }

    private void startProcess() throws Exception {
        Path pki = dir.resolve("pki");
        String pkiScript = System.getProperty("pki.script", "../tools/pki.sh");
        run(dir, pkiScript, pki.toString(), "ca");
        run(dir, pkiScript, pki.toString(), "server", "localhost");
        Path certDir = Files.createDirectories(certDir());
        Files.copy(caPem(), certDir.resolve("ca.crt"));
        sslContext = trusting(caPem());

        List<String> config = new ArrayList<>(List.of(
                "version: 0.1",
                "log:",
                "  level: info",
                "storage:",
                "  filesystem:",
                "    rootdirectory: " + quoted(dir.resolve("storage")),
                "  delete:",
                "    enabled: true",
                "http:",
                "  addr: " + quoted(hostPort()),
                "  secret: " + quoted(UUID.randomUUID().toString()),
                "  tls:",
                "    certificate: " + quoted(pki.resolve("server.pem")),
                "    key: " + quoted(pki.resolve("server.key"))));
        if (user != null) {
            tokenServer = new TokenServer(dir.resolve("token"), pki.resolve("server.pem"), pki.resolve("server.key"),
                    user, password);
            config.addAll(List.of(
                    "auth:",
                    "  token:",
                    "    realm: " + quoted(tokenServer.realm()),
                    "    service: " + quoted(TokenServer.SERVICE),
                    "    issuer: " + quoted(TokenServer.ISSUER),
                    "    rootcertbundle: " + quoted(tokenServer.rootCertBundle())));
        }
        Path configFile = dir.resolve("config.yml");
        Files.write(configFile, config);

        ProcessBuilder builder = new ProcessBuilder(BINARY, "serve", configFile.toString())
                .redirectErrorStream(true)
                .redirectOutput(logFile().toFile());
        // REGISTRY_* variables would override the configuration file.
        builder.environment().keySet().removeIf(name -> name.startsWith("REGISTRY_"));
        process = builder.start();
        awaitReady();
    }

    private void awaitReady() throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().sslContext(sslContext).connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "/v2/")).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("docker-registry exited with " + process.exitValue()
                        + " before answering; its log:\n" + log());
            }
            try {
                int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                // 401 is the token-auth registry's ready answer: a Bearer challenge.
                if (status == 200 || status == 401) {
                    return;
                }
                last = "HTTP " + status;
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("docker-registry did not answer /v2/ within " + STARTUP + " (" + last
                + "); its log:\n" + log());
    }

    /** "127.0.0.1:PORT", how image names in this registry start. */
    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    /** "https://127.0.0.1:PORT". */
    public String url() {
        return "https://" + hostPort();
    }

    /** The test CA's certificate (PEM) that signed the registry's (and the token server's) certificate. */
    public Path caPem() {
        return dir.resolve("pki/ca.pem");
    }

    /** A directory holding the CA as ca.crt, the form skopeo's --dest-cert-dir and Docker's certs.d want. */
    public Path certDir() {
        return dir.resolve("certs.d");
    }

    /** TLS trusting only the test CA, for a test's own requests. */
    public SSLContext sslContext() {
        return sslContext;
    }

    /** The token auth user, or null for a plain registry. */
    public String user() {
        return user;
    }

    /** The token auth password, or null for a plain registry. */
    public String password() {
        return password;
    }

    /** The token server, or null for a plain registry. */
    public TokenServer tokenServer() {
        return tokenServer;
    }

    /** The file the registry logs to (requests included) while it runs. */
    public Path logFile() {
        return dir.resolve("registry.log");
    }

    /** What the registry logged so far, for failure messages. */
    public String log() {
        try {
            return Files.readString(logFile(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Stops the registry and the token server and deletes every file; a second call does nothing. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (tokenServer != null) {
            tokenServer.close();
        }
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    /** Runs a command in {@code workDir}, failing with its output unless it exits 0. */
    static void run(Path workDir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed with " + p.exitValue() + ": " + output);
        }
    }

    private static SSLContext trusting(Path caPem) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", TokenServer.certificate(caPem));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private static String quoted(Object value) {
        return "'" + value.toString().replace("'", "''") + "'";
    }

    private static int freePort() throws IOException {
        return Integer.parseInt(ItestSupport.freePort());
    }
}
