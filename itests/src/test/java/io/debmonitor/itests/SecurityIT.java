package io.debmonitor.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** SPEC §3.1, §3.2 and §3.4 over real TLS against the assembled distribution. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SecurityIT extends ItestSupport {

    private static final String DB1001 = "db1001.example.org";
    private static final String DB1002 = "db1002.example.org";

    private String pki;

    @Before
    public void ready() throws Exception {
        awaitServer();
        pki = System.getProperty("itest.pki");
    }

    private HttpResponse<String> tls(String certificate, String method, String path, byte[] body, String... headers) throws Exception {
        return tls(pki, certificate, method, path, body, headers);
    }

    private HttpResponse<String> tls(String dir, String certificate, String method, String path, byte[] body, String... headers)
            throws Exception {
        HttpClient client = tlsClient(dir, certificate);
        return send(client, httpsUrl(), method, path, body, headers);
    }

    private static byte[] report(String host) {
        return ("{\"api_version\":\"v1\",\"os\":\"Debian 12\",\"update_type\":\"full\",\"hostname\":\"" + host + "\","
                + "\"running_kernel\":{\"version\":\"#1 SMP\"},\"installed\":[{\"name\":\"a\",\"version\":\"1\",\"source\":\"a\"}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    public void aHostWritesAndDeletesOnlyItself() throws Exception {
        assertEquals(201, tls(DB1001, "POST", "/hosts/" + DB1001 + "/update", report(DB1001)).statusCode());
        assertEquals(201, tls(DB1002, "POST", "/hosts/" + DB1002 + "/update", report(DB1002)).statusCode());
        List<String> before = dump();

        HttpResponse<String> write = tls(DB1001, "POST", "/hosts/" + DB1002 + "/update", report(DB1002));
        assertJsonError(403, write);
        assertEquals("{\"error\":\"Unauthorized to modify host '" + DB1002 + "' with identity '" + DB1001 + "'\"}", write.body());
        assertJsonError(403, tls(DB1001, "DELETE", "/hosts/" + DB1002, null));
        assertJsonError(403, tls(DB1001, "DELETE", "/hosts/unknown.example.org", null));
        assertEquals(before, dump());

        assertEquals(204, tls(DB1002, "DELETE", "/hosts/" + DB1002, null).statusCode());
        assertEquals(List.of(), rows(DB1002));
    }

    @Test
    public void unverifiedCertificatesAreRefusedWithTheReason() throws Exception {
        assertEquals(201, tls(DB1001, "POST", "/hosts/" + DB1001 + "/update", report(DB1001)).statusCode());
        List<String> before = dump();
        String prefix = "{\"error\":\"Client certificate validation failed: ";
        assertEquals(prefix + "the certificate is not issued by a trusted CA\"}",
                tls(pki + "/other-ca", DB1001, "POST", "/hosts/" + DB1001 + "/update", report(DB1001)).body());
        assertEquals(prefix + "the certificate has expired\"}",
                tls("expired.example.org", "POST", "/hosts/expired.example.org/update", report("expired.example.org")).body());
        assertEquals(prefix + "the certificate has been revoked\"}",
                tls("revoked.example.org", "POST", "/hosts/revoked.example.org/update", report("revoked.example.org")).body());
        assertEquals(prefix + "no client certificate was presented\"}",
                tls(null, "POST", "/hosts/" + DB1001 + "/update", report(DB1001)).body());
        for (String cert : List.of("expired.example.org", "revoked.example.org")) {
            assertJsonError(403, tls(cert, "DELETE", "/hosts/" + cert, null));
            assertJsonError(403, tls(cert, "GET", "/auth-check", null));
        }
        assertJsonError(403, tls(pki + "/other-ca", DB1001, "DELETE", "/hosts/" + DB1001, null));
        assertEquals(before, dump());
    }

    @Test
    public void aHostProxyWritesAndDeletesAnyHost() throws Exception {
        String host = uniqueHost();
        assertEquals(201, tls(PROXY, "POST", "/hosts/" + host + "/update", report(host)).statusCode());
        assertEquals(List.of("a:1"), rows(host));
        assertEquals(204, tls(PROXY, "DELETE", "/hosts/" + host, null).statusCode());
        assertJsonError(404, tls(PROXY, "DELETE", "/hosts/" + host, null));
    }

    @Test
    public void authCheckAnswersOkToAnyVerifiedIdentity() throws Exception {
        HttpResponse<String> ok = tls(DB1001, "GET", "/auth-check", null);
        assertEquals(200, ok.statusCode());
        assertEquals("OK", ok.body());
        assertTrue(ok.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        assertEquals(200, tls(DB1001, "HEAD", "/auth-check", null).statusCode());
        assertJsonError(403, tls(null, "GET", "/auth-check", null));
        assertJsonError(403, send(http, baseUrl(), "GET", "/auth-check", null));
    }

    /** Proxy headers count only from a configured proxy address, and never on the HTTPS port. */
    @Test
    public void trustedProxyHeadersAreIgnoredFromOtherPeersAndOnHttps() throws Exception {
        String host = uniqueHost();
        String[] vouch = {"X-Client-Cert-Verify", "SUCCESS", "X-Client-Cert-Subject-DN", "/O=itest/CN=" + host};
        List<String> before = dump();
        assertJsonError(403, tls(null, "POST", "/hosts/" + host + "/update", report(host), vouch));
        assertJsonError(403, tls(null, "GET", "/auth-check", null, vouch));
        String fromOtherPeer = rawHttpFrom("127.0.0.2", "POST", "/hosts/" + host + "/update", report(host), vouch);
        assertTrue(fromOtherPeer, fromOtherPeer.startsWith("HTTP/1.1 403"));
        assertEquals(before, dump());

        HttpResponse<String> failed = send(http, baseUrl(), "POST", "/hosts/" + host + "/update", report(host),
                "X-Client-Cert-Verify", "FAILED:certificate has expired", "X-Client-Cert-Subject-DN", "CN=" + host);
        assertEquals("{\"error\":\"Client certificate validation failed: X-Client-Cert-Verify is 'FAILED:certificate has expired'\"}",
                failed.body());
        assertEquals(201, send(http, baseUrl(), "POST", "/hosts/" + host + "/update", report(host), vouch).statusCode());
        assertEquals(List.of("a:1"), rows(host));
    }

    @Test
    public void securityHeadersOnEveryResponse() throws Exception {
        for (HttpResponse<String> response : List.of(tls(DB1001, "GET", "/auth-check", null), tls(null, "GET", "/auth-check", null),
                tls(DB1001, "GET", "/hosts/" + DB1001 + "/update", null), send("DELETE", "/hosts/" + uniqueHost(), null))) {
            assertTrue(response.headers().firstValue("Content-Security-Policy").orElse("").startsWith("default-src 'self'"));
            assertEquals("DENY", response.headers().firstValue("X-Frame-Options").orElse(""));
            assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(""));
            assertEquals("same-origin", response.headers().firstValue("Referrer-Policy").orElse(""));
        }
        assertEquals("max-age=31536000", tls(DB1001, "GET", "/auth-check", null).headers().firstValue("Strict-Transport-Security").orElse(""));
        assertTrue(send("DELETE", "/hosts/" + uniqueHost(), null).headers().firstValue("Strict-Transport-Security").isEmpty());
    }

    /** HTTP/1.1 over a socket bound to {@code source}, so the server sees a peer that is not a trusted proxy. */
    private static String rawHttpFrom(String source, String method, String path, byte[] body, String... headers) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(System.getProperty("itest.http.port"))), 5000);
            socket.setSoTimeout(30_000);
            StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + "Content-Length: " + body.length + "\r\n");
            for (int i = 0; i < headers.length; i += 2) {
                request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            in.transferTo(response);
            return response.toString(StandardCharsets.UTF_8);
        }
    }
}
