package io.debmonitor.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.replaceConfigurationFile;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import java.security.KeyStore;
import java.security.cert.CertificateFactory;

import javax.inject.Inject;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.sql.DataSource;

import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.util.Filter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Boots the assembled distribution on free ports, on H2 or on a fresh MariaDB database
 * (system property {@code itest.db}), and gives tests real HTTP and a dump of every table.
 */
public abstract class ItestSupport {

    static final String MARIADB_ROOT = "jdbc:mariadb://127.0.0.1:3306/";
    /** A host proxy: the identity plain-HTTP test requests carry through the trusted-proxy headers. */
    static final String PROXY = "itest-proxy.example.org";
    /** The identity in imageUploaders, and the one in kubernetesReporters. */
    static final String UPLOADER = "itest-uploader.example.org";
    static final String KUBERNETES_REPORTER = "itest-k8s.example.org";
    static final List<String> TABLES = List.of("os", "source_package", "source_package_version", "package",
            "package_version", "kernel", "host", "host_package", "image", "image_package", "kubernetes_image");

    @Inject
    protected BundleContext bundleContext;

    @Inject
    @Filter(value = "(osgi.jndi.service.name=debmonitor)", timeout = 120_000)
    protected DataSource dataSource;

    protected final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Configuration
    public Option[] config() throws Exception {
        return distribution(getClass().getSimpleName()).options().toArray(new Option[0]);
    }

    /**
     * How one test class boots the distribution: its options, and the ports and PKI they chose.
     * Pax Exam tests return the options from {@code @Configuration}; the web UI tests, which drive
     * a browser from outside the container, start it themselves (UiDistribution).
     */
    record Distribution(List<Option> options, String httpPort, String httpsPort, File pki) {
    }

    static Distribution distribution(String testClass, Option... extra) throws Exception {
        String db = System.getProperty("itest.db", "h2");
        String httpPort = freePort();
        String httpsPort = freePort();
        File pki = createPki(testClass);
        List<Option> options = new ArrayList<>(List.of(
                karafDistributionConfiguration()
                        .frameworkUrl(maven().groupId("io.debmonitor").artifactId("debmonitor-karaf-assembly")
                                .version(System.getProperty("project.version")).type("tar.gz"))
                        .unpackDirectory(new File("target/exam"))
                        .useDeployFolder(false),
                keepRuntimeFolder(),
                configureConsole().ignoreLocalConsole(),
                logLevel(LogLevel.INFO),
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", httpPort),
                editConfigurationFilePut("etc/system.properties", "debmonitor.https.port", httpsPort),
                replaceConfigurationFile("etc/debmonitor-server.p12", new File(pki, "server.p12")),
                replaceConfigurationFile("etc/io.debmonitor.security.cfg", securityConfig(pki)),
                editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", freePort()),
                // Stored CVE findings follow reports within a second instead of ten.
                editConfigurationFilePut("etc/io.debmonitor.cve.cfg", "refreshSeconds", "1"),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", freePort()),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort", freePort()),
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository",
                        System.getProperty("org.ops4j.pax.url.mvn.localRepository", "")),
                systemProperty("itest.db").value(db),
                systemProperty("itest.http.port").value(httpPort),
                systemProperty("itest.https.port").value(httpsPort),
                systemProperty("itest.pki").value(pki.getAbsolutePath()),
                systemProperty("fixtures.dir").value(new File(System.getProperty("fixtures.dir", "../fixtures")).getAbsolutePath()),
                systemProperty("itest.docs.dir").value(new File(System.getProperty("itest.docs.dir", "../docs")).getAbsolutePath())));
        if (db.equals("mariadb")) {
            options.add(replaceConfigurationFile("etc/org.ops4j.datasource-debmonitor.cfg", mariaDbConfig(testClass)));
        }
        options.addAll(List.of(extra));
        return new Distribution(List.copyOf(options), httpPort, httpsPort, pki);
    }

    /** Creates (or re-creates) this test class's MariaDB database and user, as root over TCP. */
    private static File mariaDbConfig(String testClass) throws SQLException, IOException {
        String database = "debmonitor_it_" + testClass.toLowerCase();
        try (Connection root = DriverManager.getConnection(MARIADB_ROOT, "root", ""); Statement st = root.createStatement()) {
            st.execute("drop database if exists " + database);
            st.execute("create database " + database + " character set utf8mb4 collate utf8mb4_bin");
            for (String host : List.of("localhost", "127.0.0.1")) {
                st.execute("create user if not exists 'debmonitor_it'@'" + host + "' identified by 'debmonitor_it'");
                st.execute("grant all on `debmonitor\\_it\\_%`.* to 'debmonitor_it'@'" + host + "'");
            }
        }
        Path cfg = Files.createTempFile("datasource-debmonitor", ".cfg");
        Files.writeString(cfg, String.join("\n",
                "osgi.jdbc.driver.name = mariadb",
                "url = " + MARIADB_ROOT + database + "?useLocalSessionState=true",
                "user = debmonitor_it",
                "password = debmonitor_it",
                "dataSourceName = debmonitor",
                "pool = dbcp2",
                "xa = false",
                ""));
        cfg.toFile().deleteOnExit();
        return cfg.toFile();
    }

    /**
     * A CA, a server certificate for localhost, host certificates, an expired and a revoked one,
     * and a certificate from another CA, made by tools/pki.sh (the PKI helper of the README).
     */
    private static File createPki(String testClass) throws Exception {
        File dir = new File("target/pki-" + testClass).getAbsoluteFile();
        File other = new File(dir, "other-ca");
        pki(dir, "ca");
        pki(dir, "server", "localhost");
        for (String client : List.of(PROXY, UPLOADER, KUBERNETES_REPORTER, "db1001.example.org", "db1002.example.org", "expired.example.org", "revoked.example.org")) {
            pki(dir, "client", client, client.startsWith("expired") ? "-2" : "30");
        }
        pki(dir, "revoke", "revoked.example.org");
        pki(other, "ca");
        pki(other, "client", "db1001.example.org");
        return dir;
    }

    private static void pki(File dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(System.getProperty("pki.script", "../tools/pki.sh"), dir.getPath()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("tools/pki.sh " + command + " failed: " + output);
        }
    }

    private static File securityConfig(File pki) throws IOException {
        Path cfg = Files.createTempFile("io.debmonitor.security", ".cfg");
        Files.writeString(cfg, String.join("\n",
                "clientCaFile = " + new File(pki, "ca.pem").getAbsolutePath(),
                "crlFile = " + new File(pki, "crl.pem").getAbsolutePath(),
                "hostProxies = " + PROXY,
                "imageUploaders = " + UPLOADER,
                "kubernetesReporters = " + KUBERNETES_REPORTER,
                "trustedProxies = 127.0.0.1, ::1",
                ""));
        cfg.toFile().deleteOnExit();
        return cfg.toFile();
    }

    /**
     * A port for the distribution to listen on, below Linux's ephemeral range (32768-60999): a port
     * the kernel hands out (port 0) is free now but may be taken as the local port of an outgoing
     * connection (to the database, say) before the container binds it, failing its start.
     */
    static String freePort() throws IOException {
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = 20_000 + random.nextInt(12_000);
            try (ServerSocket socket = new ServerSocket(port)) {
                return String.valueOf(socket.getLocalPort());
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("No free port found between 20000 and 32000");
    }

    // --- inside the container -----------------------------------------------------------------

    protected String baseUrl() {
        return "http://localhost:" + System.getProperty("itest.http.port");
    }

    protected String httpsUrl() {
        return "https://localhost:" + System.getProperty("itest.https.port");
    }

    /**
     * An HTTPS client presenting {@code <name>.p12} from the test PKI (none when name is null) and
     * trusting only the test CA, with hostname verification.
     */
    protected static HttpClient tlsClient(String pkiDir, String name) throws Exception {
        return tlsClient(Path.of(System.getProperty("itest.pki"), "ca.pem"), name == null ? null : Path.of(pkiDir, name + ".p12"));
    }

    /** An HTTPS client presenting the PKCS#12 key store {@code p12} (none when null) and trusting only {@code caPem}. */
    static HttpClient tlsClient(Path caPem, Path p12) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (var in = Files.newInputStream(caPem)) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManager[] keyManagers = null;
        if (p12 != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(p12)) {
                keys.load(in, "debmonitor".toCharArray());
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, "debmonitor".toCharArray());
            keyManagers = kmf.getKeyManagers();
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
    }

    protected static String uniqueHost() {
        return "h" + UUID.randomUUID().toString().substring(0, 8) + ".itest.example.org";
    }

    protected static byte[] fixture(String name) throws IOException {
        return Files.readAllBytes(Path.of(System.getProperty("fixtures.dir"), "existing-client", name));
    }

    /** Waits (up to two minutes) until the v1 endpoints answer with their own JSON 404. */
    protected void awaitServer() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = send("DELETE", "/hosts/" + uniqueHost(), null);
                if (response.statusCode() == 404 && response.body().contains("No host named")) {
                    return;
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.toString();
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        fail("The server did not come up: " + last);
    }

    /** Plain HTTP from 127.0.0.1, a trusted proxy, vouching for the host proxy identity. */
    protected HttpResponse<String> send(String method, String path, byte[] body) throws IOException, InterruptedException {
        return send(http, baseUrl(), method, path, body, "X-Client-Cert-Verify", "SUCCESS", "X-Client-Cert-Subject-DN", "CN=" + PROXY + ",O=itest");
    }

    protected HttpResponse<String> send(HttpClient client, String base, String method, String path, byte[] body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (headers.length > 0) {
            request.headers(headers);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    protected HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return send("POST", path, body.getBytes(StandardCharsets.UTF_8));
    }

    protected static void assertJsonError(int status, HttpResponse<String> response) {
        assertEquals(response.body(), status, response.statusCode());
        assertJsonError(response);
    }

    protected static void assertJsonError(HttpResponse<String> response) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        assertTrue("content type " + type, type.startsWith("application/json"));
        assertTrue(response.body(), response.body().startsWith("{\"error\":\""));
    }

    /** Every row of every table in a stable order, timestamps included. */
    protected List<String> dump() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            for (String table : TABLES) {
                try (ResultSet rs = st.executeQuery("select * from " + table + " order by 1, 2")) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder(table);
                        for (int i = 1; i <= columns; i++) {
                            row.append('|').append(rs.getString(i));
                        }
                        out.add(row.toString());
                    }
                }
            }
        }
        return out;
    }

    /** @return "name:installed[>upgrade][ type]" for each row of the host, sorted by name */
    protected List<String> rows(String host) throws SQLException {
        List<String> out = new ArrayList<>();
        String sql = "select p.name, iv.version, uv.version, r.upgrade_type from host_package r join host h on h.id = r.host_id"
                + " join package p on p.id = r.package_id join package_version iv on iv.id = r.installed_version_id"
                + " left join package_version uv on uv.id = r.upgrade_version_id where h.name = ? order by p.name";
        try (Connection c = dataSource.getConnection(); var ps = c.prepareStatement(sql)) {
            ps.setString(1, host);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1) + ":" + rs.getString(2) + (rs.getString(3) == null ? "" : ">" + rs.getString(3))
                            + (rs.getString(4) == null ? "" : " " + rs.getString(4)));
                }
            }
        }
        return out;
    }

    protected Bundle bundle(String symbolicName) {
        for (Bundle bundle : bundleContext.getBundles()) {
            if (bundle.getSymbolicName().equals(symbolicName)) {
                return bundle;
            }
        }
        return null;
    }
}
