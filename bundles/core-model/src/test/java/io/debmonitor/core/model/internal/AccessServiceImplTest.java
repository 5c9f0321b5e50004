package io.debmonitor.core.model.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.BeforeClass;
import org.junit.Test;

import io.debmonitor.core.model.api.CallerDTO;
import io.debmonitor.core.model.api.Cidr;
import io.debmonitor.core.model.api.EntityKind;

/** SPEC §3.1–§3.2 with real certificates from tools/pki.sh. */
public class AccessServiceImplTest {

    private static Path pki;
    private static Path otherPki;

    @BeforeClass
    public static void createPki() throws Exception {
        pki = Files.createTempDirectory("pki");
        otherPki = Files.createTempDirectory("pki-other");
        run(pki, "ca");
        run(pki, "client", "db1001.example.org");
        run(pki, "client", "proxy.example.org");
        run(pki, "client", "expired.example.org", "-3");
        run(pki, "client", "revoked.example.org");
        Files.copy(pki.resolve("crl.pem"), pki.resolve("crl-none-revoked.pem"));
        run(pki, "revoke", "revoked.example.org");
        Instant now = Instant.now();
        generateCrl(pki, "crl-due-soon.pem", now.minus(Duration.ofHours(22)), now.plus(Duration.ofHours(2)));
        generateCrl(pki, "crl-late.pem", now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1)));
        run(otherPki, "ca");
        run(otherPki, "client", "db1001.example.org");
    }

    private static void run(Path dir, String... args) throws Exception {
        String[] command = new String[args.length + 2];
        command[0] = System.getProperty("pki.script", "../../tools/pki.sh");
        command[1] = dir.toString();
        System.arraycopy(args, 0, command, 2, args.length);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(output, 0, process.waitFor());
    }

    /** A CRL of the revocations so far with chosen dates, as a CA whose CRL job stopped would have left it. */
    private static void generateCrl(Path dir, String file, Instant lastUpdate, Instant nextUpdate) throws Exception {
        DateTimeFormatter stamp = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
        ProcessBuilder builder = new ProcessBuilder("openssl", "ca", "-batch", "-config", "openssl.cnf", "-gencrl", "-cert", "ca.pem",
                "-keyfile", "ca.key", "-crl_lastupdate", stamp.format(lastUpdate), "-crl_nextupdate", stamp.format(nextUpdate), "-out", file)
                .directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("OPENSSL_CONF", "/dev/null");
        builder.environment().put("SAN", "DNS:unused");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(output, 0, process.waitFor());
    }

    private static X509Certificate[] chain(Path dir, String name) throws Exception {
        try (InputStream in = Files.newInputStream(dir.resolve(name + ".pem"))) {
            return new X509Certificate[] {(X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in)};
        }
    }

    static SecurityConfiguration config(Map<String, Object> values) {
        return (SecurityConfiguration) Proxy.newProxyInstance(SecurityConfiguration.class.getClassLoader(),
                new Class<?>[] {SecurityConfiguration.class}, (proxy, method, args) -> {
                    Object value = values.get(method.getName());
                    return value != null ? value : method.getDefaultValue();
                });
    }

    private static AccessServiceImpl service(boolean withCrl) {
        Map<String, Object> values = new HashMap<>();
        values.put("clientCaFile", pki.resolve("ca.pem").toString());
        if (withCrl) {
            values.put("crlFile", pki.resolve("crl.pem").toString());
        }
        values.put("hostProxies", new String[] {"proxy.example.org, other-proxy"});
        values.put("imageUploaders", new String[] {"proxy.example.org"});
        values.put("trustedProxies", new String[] {"10.0.0.0/8", "127.0.0.1", "::1"});
        return new AccessServiceImpl(config(values));
    }

    private static CallerDTO tls(AccessServiceImpl service, Path dir, String name) throws Exception {
        return service.identify(true, chain(dir, name), "192.0.2.1", h -> null);
    }

    @Test
    public void validCertificateGivesCnAndDnsSan() throws Exception {
        CallerDTO caller = tls(service(true), pki, "db1001.example.org");
        assertEquals(Set.of("db1001.example.org"), caller.identities());
        assertTrue(caller.secure());
    }

    @Test
    public void hostMayWriteOnlyItselfUnlessProxy() throws Exception {
        AccessServiceImpl service = service(true);
        CallerDTO host = tls(service, pki, "db1001.example.org");
        assertNull(service.writeRefusal(host, EntityKind.HOST, "db1001.example.org"));
        assertEquals("Unauthorized to modify host 'db1002.example.org' with identity 'db1001.example.org'",
                service.writeRefusal(host, EntityKind.HOST, "db1002.example.org"));
        assertEquals("Unauthorized to modify image 'db1001.example.org' with identity 'db1001.example.org'",
                service.writeRefusal(host, EntityKind.IMAGE, "db1001.example.org"));
        CallerDTO proxy = tls(service, pki, "proxy.example.org");
        assertNull(service.writeRefusal(proxy, EntityKind.HOST, "anything.example.org"));
        assertNull(service.writeRefusal(proxy, EntityKind.IMAGE, "registry/x:1"));
    }

    @Test
    public void untrustedExpiredRevokedAndMissingCertificatesAreRefused() throws Exception {
        AccessServiceImpl service = service(true);
        assertEquals("Client certificate validation failed: the certificate is not issued by a trusted CA",
                service.identityRefusal(tls(service, otherPki, "db1001.example.org")));
        assertEquals("Client certificate validation failed: the certificate has expired",
                service.identityRefusal(tls(service, pki, "expired.example.org")));
        assertEquals("Client certificate validation failed: the certificate has been revoked",
                service.identityRefusal(tls(service, pki, "revoked.example.org")));
        assertEquals("Client certificate validation failed: no client certificate was presented",
                service.identityRefusal(service.identify(true, null, "192.0.2.1", h -> null)));
        assertNull(service(false).identityRefusal(tls(service(false), pki, "revoked.example.org")));
    }

    /** Certificates are interned across requests (their signature is checked once); revocation and a new CA still apply. */
    @Test
    public void aCertificateAcceptedBeforeIsRefusedOnceRevokedOrItsCaIsReplaced() throws Exception {
        AccessServiceImpl service = service(false);
        assertNull(service.identityRefusal(tls(service, pki, "revoked.example.org")));
        assertNull(service.identityRefusal(tls(service, pki, "revoked.example.org")));
        service.modified(config(Map.of("clientCaFile", pki.resolve("ca.pem").toString(),
                "crlFile", pki.resolve("crl.pem").toString())));
        assertEquals("Client certificate validation failed: the certificate has been revoked",
                service.identityRefusal(tls(service, pki, "revoked.example.org")));
        assertNull(service.identityRefusal(tls(service, pki, "db1001.example.org")));
        service.modified(config(Map.of("clientCaFile", otherPki.resolve("ca.pem").toString())));
        assertEquals("Client certificate validation failed: the certificate is not issued by a trusted CA",
                service.identityRefusal(tls(service, pki, "db1001.example.org")));
    }

    @Test
    public void noConfiguredCaVerifiesNothing() throws Exception {
        AccessServiceImpl service = new AccessServiceImpl(config(Map.of()));
        assertEquals("Client certificate validation failed: no client CA is configured on this server",
                service.identityRefusal(tls(service, pki, "db1001.example.org")));
    }

    @Test
    public void proxyHeadersCountOnlyFromTrustedPeersOnPlainHttp() {
        AccessServiceImpl service = service(true);
        Map<String, String> headers = Map.of("x-client-cert-verify", "SUCCESS",
                "x-client-cert-subject-dn", "CN=db1001.example.org,O=Example", "x-forwarded-proto", "https");
        CallerDTO trusted = service.identify(false, null, "10.1.2.3", h -> headers.get(h.toLowerCase()));
        assertEquals(Set.of("db1001.example.org"), trusted.identities());
        assertTrue(trusted.secure());
        assertFalse(service.identify(false, null, "192.0.2.7", h -> headers.get(h.toLowerCase())).verified());
        assertFalse("never on the HTTPS port", service.identify(true, null, "127.0.0.1", h -> headers.get(h.toLowerCase())).verified());
        CallerDTO failed = service.identify(false, null, "::1", h -> h.equalsIgnoreCase("X-Client-Cert-Verify") ? "FAILED:expired" : null);
        assertEquals("Client certificate validation failed: X-Client-Cert-Verify is 'FAILED:expired'", service.identityRefusal(failed));
        assertEquals("Client certificate validation failed: X-Client-Cert-Verify is ''",
                service.identityRefusal(service.identify(false, null, "127.0.0.1", h -> null)));
    }

    @Test
    public void firstCommonNameInBothDnForms() {
        assertEquals("h1", AccessServiceImpl.firstCommonName("CN=h1,O=x"));
        assertEquals("h1", AccessServiceImpl.firstCommonName("CN=h1, OU=a, O=x"));
        assertEquals("a,b", AccessServiceImpl.firstCommonName("CN=a\\,b,O=x"));
        assertEquals("h2", AccessServiceImpl.firstCommonName("/O=x/CN=h2"));
        assertEquals("h3", AccessServiceImpl.firstCommonName("cn=h3,o=x"));
        assertNull(AccessServiceImpl.firstCommonName("O=x"));
        assertNull(AccessServiceImpl.firstCommonName(""));
    }

    @Test
    public void cidrMatching() {
        assertTrue(Cidr.parse("10.0.0.0/8").contains("10.255.0.1"));
        assertFalse(Cidr.parse("10.0.0.0/8").contains("11.0.0.1"));
        assertTrue(Cidr.parse("2001:db8::/32").contains("2001:db8:1::5"));
        assertFalse(Cidr.parse("127.0.0.1").contains("::1"));
        assertFalse(Cidr.parse("127.0.0.1").contains("localhost"));
    }

    /** A clock the tests move by hand, so the file check interval passes without sleeping. */
    private static final class TestClock extends Clock {
        private Instant now = Instant.now();

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    /** A copy of {@code source} that a test may overwrite the way a CRL cron job does. */
    private static Path replaceableCopy(Path source) throws Exception {
        Path copy = Files.createTempDirectory("trust").resolve(source.getFileName());
        Files.copy(source, copy);
        return copy;
    }

    private static AccessServiceImpl service(Path clientCaFile, Path crlFile, Map<String, Object> extra, Clock clock) {
        Map<String, Object> values = new HashMap<>(extra);
        values.put("clientCaFile", clientCaFile.toString());
        if (crlFile != null) {
            values.put("crlFile", crlFile.toString());
        }
        return new AccessServiceImpl(config(values), clock);
    }

    @Test
    public void aCrlReplacedOnDiskIsPickedUpAfterTheCheckInterval() throws Exception {
        Path crl = replaceableCopy(pki.resolve("crl-none-revoked.pem"));
        TestClock clock = new TestClock();
        AccessServiceImpl service = service(pki.resolve("ca.pem"), crl, Map.of("fileCheckSeconds", 30), clock);
        assertNull(service.identityRefusal(tls(service, pki, "revoked.example.org")));

        Files.copy(pki.resolve("crl.pem"), crl, StandardCopyOption.REPLACE_EXISTING);
        clock.advance(Duration.ofSeconds(29));
        assertNull("not checked again before the interval", service.identityRefusal(tls(service, pki, "revoked.example.org")));
        clock.advance(Duration.ofSeconds(2));
        assertEquals("Client certificate validation failed: the certificate has been revoked",
                service.identityRefusal(tls(service, pki, "revoked.example.org")));
        assertNull(service.identityRefusal(tls(service, pki, "db1001.example.org")));
        assertEquals(List.of(), service.warnings());
    }

    @Test
    public void aReplacedClientCaFileIsPickedUpAfterTheCheckInterval() throws Exception {
        Path ca = replaceableCopy(pki.resolve("ca.pem"));
        TestClock clock = new TestClock();
        AccessServiceImpl service = service(ca, null, Map.of(), clock);
        assertNull(service.identityRefusal(tls(service, pki, "db1001.example.org")));

        Files.copy(otherPki.resolve("ca.pem"), ca, StandardCopyOption.REPLACE_EXISTING);
        clock.advance(Duration.ofSeconds(30));
        assertEquals("Client certificate validation failed: the certificate is not issued by a trusted CA",
                service.identityRefusal(tls(service, pki, "db1001.example.org")));
        assertNull(service.identityRefusal(tls(service, otherPki, "db1001.example.org")));
    }

    @Test
    public void aCorruptReplacementKeepsThePreviousCrlUntilTheFileChangesAgain() throws Exception {
        Path crl = replaceableCopy(pki.resolve("crl.pem"));
        TestClock clock = new TestClock();
        AccessServiceImpl service = service(pki.resolve("ca.pem"), crl, Map.of("fileCheckSeconds", 5), clock);
        String revoked = "Client certificate validation failed: the certificate has been revoked";

        Files.write(crl, new byte[0]);
        clock.advance(Duration.ofSeconds(5));
        assertEquals("a half-written CRL must not turn revocation off", revoked, service.identityRefusal(tls(service, pki, "revoked.example.org")));
        assertEquals(List.of("crlFile " + crl + " holds no CRL; the previous client CAs and CRLs stay in use until the file changes again"),
                service.warnings());

        Files.writeString(crl, "-----BEGIN X509 CRL-----\nnot base64 at all\n-----END X509 CRL-----\n");
        clock.advance(Duration.ofSeconds(5));
        assertEquals(revoked, service.identityRefusal(tls(service, pki, "revoked.example.org")));
        List<String> warnings = service.warnings();
        assertEquals(warnings.toString(), 1, warnings.size());
        assertTrue(warnings.get(0), warnings.get(0).startsWith("crlFile " + crl + " is not valid ("));

        Files.copy(pki.resolve("crl-none-revoked.pem"), crl, StandardCopyOption.REPLACE_EXISTING);
        clock.advance(Duration.ofSeconds(5));
        assertNull(service.identityRefusal(tls(service, pki, "revoked.example.org")));
        assertEquals(List.of(), service.warnings());
    }

    @Test
    public void aCrlWhoseNextUpdateIsWithinTheWarningWindowIsAWarning() throws Exception {
        Path crl = pki.resolve("crl-due-soon.pem");
        AccessServiceImpl service = service(pki.resolve("ca.pem"), crl, Map.of(), Clock.systemUTC());
        List<String> warnings = service.warnings();
        assertEquals(warnings.toString(), 1, warnings.size());
        assertTrue(warnings.get(0), warnings.get(0).matches("The CRL of CN=DebMonitor development CA in " + java.util.regex.Pattern.quote(crl.toString())
                + " has nextUpdate \\S+Z, less than crlWarnHours \\(24\\) away: install a newer CRL before then"));
        assertEquals("Client certificate validation failed: the certificate has been revoked",
                service.identityRefusal(tls(service, pki, "revoked.example.org")));

        assertEquals(List.of(), service(pki.resolve("ca.pem"), crl, Map.of("crlWarnHours", 1), Clock.systemUTC()).warnings());
    }

    /** Java's PKIX alone would refuse every certificate of the CA here ("revocation status unknown"). */
    @Test
    public void aCrlPastItsNextUpdateStaysInForceAndIsReportedAsAnError() throws Exception {
        Path crl = pki.resolve("crl-late.pem");
        AccessServiceImpl service = service(pki.resolve("ca.pem"), crl, Map.of(), Clock.systemUTC());
        assertNull(service.identityRefusal(tls(service, pki, "db1001.example.org")));
        assertEquals("Client certificate validation failed: the certificate has been revoked",
                service.identityRefusal(tls(service, pki, "revoked.example.org")));
        assertEquals("Client certificate validation failed: the certificate has expired",
                service.identityRefusal(tls(service, pki, "expired.example.org")));
        assertEquals("Client certificate validation failed: the certificate is not issued by a trusted CA",
                service.identityRefusal(tls(service, otherPki, "db1001.example.org")));
        List<String> warnings = service.warnings();
        assertEquals(warnings.toString(), 1, warnings.size());
        assertTrue(warnings.get(0), warnings.get(0).matches("The CRL of CN=DebMonitor development CA in " + java.util.regex.Pattern.quote(crl.toString())
                + " is past its nextUpdate \\S+Z: the certificates it lists stay refused and all others of that CA are accepted until a newer CRL is installed"));
    }

    /** Both test CAs have the same name, so only the CRL's signature tells them apart. */
    @Test
    public void aLateCrlSignedByAnotherCaKeyDoesNotCoverTheCertificate() throws Exception {
        AccessServiceImpl service = service(otherPki.resolve("ca.pem"), pki.resolve("crl-late.pem"), Map.of(), Clock.systemUTC());
        assertEquals("Client certificate validation failed: the certificate's revocation status is unknown",
                service.identityRefusal(tls(service, otherPki, "db1001.example.org")));
    }

    @Test
    public void negativeIntervalsFailActivation() {
        for (String attribute : List.of("fileCheckSeconds", "crlWarnHours")) {
            try {
                service(pki.resolve("ca.pem"), null, Map.of(attribute, -1), Clock.systemUTC());
                throw new AssertionError(attribute + " -1 was accepted");
            } catch (IllegalArgumentException e) {
                assertEquals("Invalid io.debmonitor.security configuration: " + attribute + " must be 0 or more, not -1", e.getMessage());
            }
        }
    }

    @Test(expected = IllegalArgumentException.class)
    public void invalidTrustedProxyFailsActivation() {
        new AccessServiceImpl(config(Map.of("trustedProxies", new String[] {"proxy.example.org"})));
    }
}
