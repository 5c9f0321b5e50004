package io.debmonitor.core.model.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.junit.BeforeClass;
import org.junit.Test;

import io.debmonitor.core.model.api.CallerDTO;
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
        run(pki, "revoke", "revoked.example.org");
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

    private static X509Certificate[] chain(Path dir, String name) throws Exception {
        try (InputStream in = Files.newInputStream(dir.resolve(name + ".pem"))) {
            return new X509Certificate[] {(X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in)};
        }
    }

    static SecurityConfiguration config(Map<String, Object> values) {
        return (SecurityConfiguration) Proxy.newProxyInstance(SecurityConfiguration.class.getClassLoader(),
                new Class<?>[] {SecurityConfiguration.class}, (proxy, method, args) -> {
                    Object value = values.get(method.getName());
                    if (value != null) {
                        return value;
                    }
                    return method.getReturnType() == String.class ? "" : new String[0];
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

    @Test(expected = IllegalArgumentException.class)
    public void invalidTrustedProxyFailsActivation() {
        new AccessServiceImpl(config(Map.of("trustedProxies", new String[] {"proxy.example.org"})));
    }
}
