package io.debmonitor.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.junit.Test;

import io.debmonitor.core.model.api.AccessService;
import io.debmonitor.core.model.api.CallerDTO;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.SessionDTO;
import io.debmonitor.core.model.api.SessionService;
import io.debmonitor.core.model.api.StorageUnavailableException;

/** The session lookup and the HSTS header of the shared filter (SPEC §3.3–3.4). */
public class SecurityFilterTest {

    private static final SessionDTO SESSION = new SessionDTO("good", "alice", Set.of("viewer"), "csrf", Instant.EPOCH, Instant.EPOCH);

    private final List<String> lookups = new ArrayList<>();
    private RuntimeException sessionFailure;

    private final SessionService sessions = new SessionService() {
        @Override
        public SessionDTO create(String user, Set<String> roles) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<SessionDTO> find(String token, Duration maxIdle) {
            lookups.add(token + "/" + maxIdle.toMinutes());
            if (sessionFailure != null) {
                throw sessionFailure;
            }
            return "good".equals(token) ? Optional.of(SESSION) : Optional.empty();
        }

        @Override
        public void delete(String token) {
            throw new UnsupportedOperationException();
        }
    };

    private static final AccessService ACCESS = new AccessService() {
        @Override
        public CallerDTO identify(boolean secure, X509Certificate[] certificates, String peerAddress, Function<String, String> header) {
            return new CallerDTO(Set.of("db1001.example.org"), null, secure, null);
        }

        @Override
        public String writeRefusal(CallerDTO caller, EntityKind kind, String name) {
            return null;
        }

        @Override
        public String kubernetesRefusal(CallerDTO caller) {
            return null;
        }

        @Override
        public boolean trustedProxy(String peerAddress) {
            return false;
        }

        @Override
        public String identityRefusal(CallerDTO caller) {
            return null;
        }
    };

    @Test
    public void sessionCookieAddsTheSessionToTheCaller() throws Exception {
        Exchange exchange = run(filter(30, 31_536_000L), "/hosts", true, new Cookie("other", "x"), new Cookie(SessionService.COOKIE, "good"));
        CallerDTO caller = exchange.caller();
        assertSame(SESSION, caller.session());
        assertEquals(Set.of("db1001.example.org"), caller.identities());
        assertEquals(List.of("good/30"), lookups);
        assertEquals("max-age=31536000", exchange.headers.get("Strict-Transport-Security"));
        assertEquals(SecurityFilter.CSP, exchange.headers.get("Content-Security-Policy"));
    }

    @Test
    public void unknownOrMissingCookieLeavesNoSession() throws Exception {
        assertNull(run(filter(480, 60), "/", true, new Cookie(SessionService.COOKIE, "expired")).caller().session());
        assertNull(run(filter(480, 60), "/", true).caller().session());
        assertEquals(List.of("expired/480"), lookups);
    }

    @Test
    public void staticFilesSkipTheLookup() throws Exception {
        Exchange exchange = run(filter(480, 60), "/static/app.css", true, new Cookie(SessionService.COOKIE, "good"));
        assertNull(exchange.caller().session());
        assertEquals(List.of(), lookups);
        assertEquals("max-age=60", exchange.headers.get("Strict-Transport-Security"));
        run(filter(480, 60), "/staticfoo", true, new Cookie(SessionService.COOKIE, "good"));
        assertEquals(1, lookups.size());
    }

    @Test
    public void databaseOutageLeavesNoSessionInsteadOfFailing() throws Exception {
        sessionFailure = new StorageUnavailableException("The database is unavailable.", null);
        Exchange exchange = run(filter(480, 60), "/healthz", false, new Cookie(SessionService.COOKIE, "good"));
        assertNull(exchange.caller().session());
        assertEquals(Set.of("db1001.example.org"), exchange.caller().identities());
    }

    @Test
    public void databaseOutageAnswers503ToASessionInsteadOfSendingItToTheLogin() throws Exception {
        sessionFailure = new StorageUnavailableException("The database is unavailable.", null);
        Exchange page = exchange(filter(480, 60), "/hosts/", "text/html,application/xhtml+xml", new Cookie(SessionService.COOKIE, "good"));
        assertFalse("the page is not served", page.chained());
        assertEquals(503, page.status());
        assertEquals("5", page.headers.get("Retry-After"));
        assertTrue(page.contentType(), page.contentType().startsWith("text/html"));
        assertTrue(page.body(), page.body().contains("503 Service Unavailable") && page.body().contains("The database is unavailable"));
        Exchange json = exchange(filter(480, 60), "/hosts/", "application/json", new Cookie(SessionService.COOKIE, "good"));
        assertEquals(503, json.status());
        assertEquals("{\"error\":\"The database is unavailable; retry in a few seconds.\"}", json.body());
    }

    @Test
    public void hstsOnlyOnSecureRequestsAndNotWhenDisabled() throws Exception {
        assertNull(run(filter(480, 60), "/", false).headers.get("Strict-Transport-Security"));
        assertNull(run(filter(480, 0), "/", true).headers.get("Strict-Transport-Security"));
        assertEquals("nosniff", run(filter(480, 0), "/", true).headers.get("X-Content-Type-Options"));
    }

    @Test
    public void changedSettingsApplyToTheNextRequest() throws Exception {
        FrontSettings settings = new FrontSettings(config(480, 60));
        SecurityFilter filter = new SecurityFilter(ACCESS, sessions, settings);
        settings.modified(config(5, 0));
        Exchange exchange = run(filter, "/", true, new Cookie(SessionService.COOKIE, "good"));
        assertNull(exchange.headers.get("Strict-Transport-Security"));
        assertEquals(List.of("good/5"), lookups);
    }

    @Test
    public void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> filter(0, 60));
        assertThrows(IllegalArgumentException.class, () -> filter(480, -1));
    }

    private SecurityFilter filter(int timeoutMinutes, long hstsSeconds) {
        return new SecurityFilter(ACCESS, sessions, new FrontSettings(config(timeoutMinutes, hstsSeconds)));
    }

    private static UiSessionConfiguration config(int timeoutMinutes, long hstsSeconds) {
        return new UiSessionConfiguration() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return UiSessionConfiguration.class;
            }

            @Override
            public int ui_sessionTimeoutMinutes() {
                return timeoutMinutes;
            }

            @Override
            public long ui_hstsMaxAgeSeconds() {
                return hstsSeconds;
            }
        };
    }

    /** What the filter left on the request and the response, and whether it passed the request on. */
    private record Exchange(Map<String, Object> attributes, Map<String, String> headers, boolean chained, int status, String contentType,
            String body) {
        CallerDTO caller() {
            return (CallerDTO) attributes.get(CallerDTO.REQUEST_ATTRIBUTE);
        }
    }

    private static Exchange run(SecurityFilter filter, String uri, boolean secure, Cookie... cookies) throws Exception {
        Exchange exchange = exchange(filter, uri, secure, null, cookies);
        assertTrue(exchange.chained());
        return exchange;
    }

    private static Exchange exchange(SecurityFilter filter, String uri, String accept, Cookie... cookies) throws Exception {
        return exchange(filter, uri, true, accept, cookies);
    }

    private static Exchange exchange(SecurityFilter filter, String uri, boolean secure, String accept, Cookie... cookies) throws Exception {
        Map<String, Object> attributes = new HashMap<>();
        Map<String, String> headers = new HashMap<>();
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(SecurityFilterTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getRequestURI" -> uri;
                    case "getContextPath" -> "";
                    case "getMethod" -> "GET";
                    case "getParameter" -> null;
                    case "isSecure" -> secure;
                    case "getRemoteAddr" -> "192.0.2.1";
                    case "getCookies" -> cookies.length == 0 ? null : cookies;
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "setAttribute" -> attributes.put((String) args[0], args[1]);
                    case "getHeader" -> "Accept".equals(args[0]) ? accept : null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        int[] status = {200};
        String[] contentType = {null};
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ServletOutputStream out = new ServletOutputStream() {
            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
            }

            @Override
            public void write(int b) {
                body.write(b);
            }
        };
        HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(SecurityFilterTest.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "setHeader" -> headers.put((String) args[0], (String) args[1]);
                    case "setStatus" -> status[0] = (Integer) args[0];
                    case "setContentType" -> contentType[0] = (String) args[0];
                    case "getOutputStream" -> out;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        boolean[] chained = {false};
        filter.doFilter(request, response, (req, res) -> chained[0] = true);
        return new Exchange(attributes, headers, chained[0], status[0], contentType[0], body.toString(StandardCharsets.UTF_8));
    }
}
