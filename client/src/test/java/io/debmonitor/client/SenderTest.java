package io.debmonitor.client;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.Proxy;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class SenderTest {

    @Test
    public void firstRetryIsImmediateThenExponentialBackoffCappedAt120() {
        assertEquals(0, Sender.waitMillis(1, -1, 60));
        assertEquals(120_000, Sender.waitMillis(2, -1, 60));
        assertEquals(120_000, Sender.waitMillis(3, -1, 60));
        assertEquals(2_000, Sender.waitMillis(2, -1, 1));
        assertEquals(4_000, Sender.waitMillis(3, -1, 1));
        assertEquals(120_000, Sender.waitMillis(40, -1, 1));
        assertEquals(0, Sender.waitMillis(3, -1, 0));
    }

    @Test
    public void retryAfterWinsAndIsCapped() {
        assertEquals(5_000, Sender.waitMillis(1, 5, 60));
        assertEquals(0, Sender.waitMillis(2, 0, 60));
        assertEquals(120_000, Sender.waitMillis(1, Sender.retryAfterSeconds("3600"), 60));
        assertEquals(5, Sender.retryAfterSeconds(" 5 "));
        assertEquals(-1, Sender.retryAfterSeconds(null));
        assertEquals(-1, Sender.retryAfterSeconds("Wed, 21 Oct 2015 07:28:00 GMT"));
        assertEquals(-1, Sender.retryAfterSeconds("-3"));
    }

    @Test
    public void retryableStatuses() {
        for (int s : new int[] {429, 500, 502, 503, 504}) {
            assertTrue(Sender.retryable(s));
        }
        for (int s : new int[] {200, 201, 400, 403, 404, 413, 501}) {
            assertFalse(Sender.retryable(s));
        }
    }

    @Test
    public void errorMessageQuotesTheServersError() {
        assertEquals(": hostname: expected a non-empty string",
                Sender.errorMessage("{\"error\": \"hostname: expected a non-empty string\"}"));
        assertEquals(": <html>oops</html>", Sender.errorMessage("<html>oops</html>\n"));
        assertEquals("", Sender.errorMessage(""));
        assertEquals(205, Sender.errorMessage("x".repeat(500)).length());
    }

    @Test
    public void proxyFromTheEnvironment() throws Exception {
        Transport.EnvProxy p = Transport.EnvProxy.fromEnv(Map.of("HTTPS_PROXY", "http://proxy.example.org:8080/",
                "no_proxy", "localhost, .internal.example.org,10.0.0.1,special.example.org:8443"));
        assertEquals("proxy.example.org", p.host);
        assertEquals(8080, p.port);
        List<Proxy> proxied = p.select(URI.create("https://debmonitor.example.org:443/hosts/x/update"));
        assertEquals(Proxy.Type.HTTP, proxied.get(0).type());
        assertEquals(List.of(Proxy.NO_PROXY), p.select(URI.create("https://localhost:443/")));
        assertEquals(List.of(Proxy.NO_PROXY), p.select(URI.create("https://a.internal.example.org:443/")));
        assertEquals(List.of(Proxy.NO_PROXY), p.select(URI.create("https://internal.example.org:443/")));
        assertEquals(List.of(Proxy.NO_PROXY), p.select(URI.create("https://10.0.0.1:443/")));
        assertEquals(List.of(Proxy.NO_PROXY), p.select(URI.create("https://special.example.org:8443/")));
        assertEquals(Proxy.Type.HTTP, p.select(URI.create("https://special.example.org:443/")).get(0).type());
        assertEquals(Proxy.Type.HTTP, p.select(URI.create("https://notinternal.example.org:443/")).get(0).type());
    }

    @Test
    public void lowerCaseProxyVariablesWinAndCredentialsAreParsed() throws Exception {
        Transport.EnvProxy p = Transport.EnvProxy.fromEnv(Map.of("https_proxy", "http://user:p%40ss@lower:3128",
                "HTTPS_PROXY", "http://upper:1"));
        assertEquals("lower", p.host);
        assertEquals(3128, p.port);
        assertEquals("user", p.user);
        assertEquals("p@ss", p.password);
    }

    @Test
    public void noProxyVariableMeansDirect() throws Exception {
        Transport.EnvProxy p = Transport.EnvProxy.fromEnv(Map.of());
        assertEquals(List.of(Proxy.NO_PROXY), p.select(URI.create("https://debmonitor.example.org/")));
        Transport.EnvProxy all = Transport.EnvProxy.fromEnv(Map.of("HTTPS_PROXY", "proxy", "NO_PROXY", "*"));
        assertEquals(80, all.port);
        assertEquals(List.of(Proxy.NO_PROXY), all.select(URI.create("https://debmonitor.example.org/")));
    }

    /** In hook mode a retry that could only start after the deadline is not waited for (apt gets its time back). */
    @Test
    public void givesUpInsteadOfWaitingPastTheDeadline() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        java.util.List<Long> waits = new java.util.ArrayList<>();
        Deadline deadline = new Deadline(10, System.nanoTime() + 10_000_000_000L, status -> { });
        Sender sender = new Sender(java.net.http.HttpClient.newHttpClient(), closedPort, 3, 60, 5, "test", waits::add, deadline);
        long start = System.nanoTime();
        org.junit.Assert.assertFalse(sender.send("127.0.0.1", "/hosts/h/update", new byte[] {'{', '}'}, "dpkg_hook"));
        org.junit.Assert.assertTrue("took too long", System.nanoTime() - start < 5_000_000_000L);
        org.junit.Assert.assertEquals("only the immediate first retry", java.util.List.of(), waits);
    }
}
