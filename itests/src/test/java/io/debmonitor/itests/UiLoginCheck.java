package io.debmonitor.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.ClassRule;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The password login of SPEC §3.3 and the session cookie of §3.4 over HTTPS, on H2 and MariaDB.
 * Part of {@link WebUiIT}. Failed logins here stay well below the login throttle (5 per user, 20
 * per address), which the browser tests share.
 */
public class UiLoginCheck {

    @ClassRule
    public static final UiDistribution UI = UiDistribution.shared();

    @Test
    public void aViewerLogsInWithASecureSessionCookieAndLogsOut() throws Exception {
        HttpResponse<String> login = UiSession.attempt(UI, UiDistribution.VIEWER, UiDistribution.VIEWER_PASSWORD, "/hosts/?size=10&page=2");
        assertEquals(login.body(), 303, login.statusCode());
        assertEquals("/hosts/?size=10&page=2", Html.header(login, "Location"));
        String cookie = Html.setCookie(login, UiSession.COOKIE);
        Map<String, String> attributes = Html.cookieAttributes(cookie);
        assertTrue(cookie, attributes.containsKey("httponly"));
        assertTrue(cookie, attributes.containsKey("secure"));
        assertEquals(cookie, "lax", attributes.get("samesite").toLowerCase());
        assertEquals(cookie, "/", attributes.get("path"));
        assertTrue("a token worth guessing: " + cookie, Html.cookieValue(cookie).length() >= 32);
        UiSession session = new UiSession(Html.cookieValue(cookie));

        HttpResponse<String> hosts = session.get(UI, "/hosts/");
        assertEquals(200, hosts.statusCode());
        assertTrue("the user is shown", hosts.body().contains(UiDistribution.VIEWER));
        assertEquals(200, session.get(UI, "/hosts/", "Accept", "application/json").statusCode());
        assertEquals("a logged-in user skips the form", 303, session.get(UI, "/login").statusCode());

        assertEquals("logout without the CSRF token", 403, session.logout(UI, null).statusCode());
        assertEquals("logout with another token", 403, session.logout(UI, "x".repeat(43)).statusCode());
        assertEquals(200, session.get(UI, "/hosts/").statusCode());
        HttpResponse<String> logout = session.logout(UI, session.csrf(UI));
        assertEquals(303, logout.statusCode());
        assertEquals("/login", Html.header(logout, "Location"));

        HttpResponse<String> after = session.get(UI, "/hosts/");
        assertEquals("the old cookie no longer works", 302, after.statusCode());
        assertTrue(Html.header(after, "Location").startsWith("/login?next="));
        UiPagesCheck.assertJsonError(403, session.get(UI, "/hosts/?format=json"));
    }

    @Test
    public void anAdminLogsIn() throws Exception {
        UiSession admin = UiSession.login(UI, UiDistribution.ADMIN, UiDistribution.ADMIN_PASSWORD);
        assertEquals(200, admin.get(UI, "/").statusCode());
    }

    /** Issue #11: logins, failed ones too, are in the audit trail, which only admins can read. */
    @Test
    public void theAuditTrailListsLoginsAndOnlyAdminsReadIt() throws Exception {
        HttpResponse<String> failed = UiSession.attempt(UI, UiDistribution.ADMIN, "not-the-password", null);
        assertTrue(failed.body(), failed.body().contains("Invalid username or password"));
        UiSession admin = UiSession.login(UI, UiDistribution.ADMIN, UiDistribution.ADMIN_PASSWORD);

        HttpResponse<String> trail = admin.get(UI, "/audit/?actor=" + UiDistribution.ADMIN, "Accept", "application/json");
        assertEquals(trail.body(), 200, trail.statusCode());
        List<String> events = new ArrayList<>();
        for (JsonNode item : new ObjectMapper().readTree(trail.body()).get("items")) {
            assertEquals(item.toString(), "ui:" + UiDistribution.ADMIN, item.get("actor").asText());
            events.add(item.get("action").asText());
        }
        assertEquals("newest first", List.of("LOGIN", "LOGIN_FAILED"), events.subList(0, 2));
        assertEquals(200, admin.get(UI, "/audit/").statusCode());

        UiSession viewer = UiSession.login(UI, UiDistribution.VIEWER, UiDistribution.VIEWER_PASSWORD);
        assertEquals(403, viewer.get(UI, "/audit/", "Accept", "application/json").statusCode());
        HttpResponse<String> page = viewer.get(UI, "/audit/");
        assertEquals(403, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse(""), page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    }

    @Test
    public void wrongPasswordsAndUsersWithoutARoleAreRefusedAlike() throws Exception {
        for (String[] credentials : new String[][] {{UiDistribution.VIEWER, "wrong"}, {UiDistribution.NO_ROLE, UiDistribution.NO_ROLE_PASSWORD},
                {"nobody", "nothing"}}) {
            HttpResponse<String> response = UiSession.attempt(UI, credentials[0], credentials[1], null);
            assertEquals(credentials[0], 200, response.statusCode());
            assertTrue(response.body(), response.body().contains("Invalid username or password"));
            assertNull(credentials[0] + " got a session", Html.setCookie(response, UiSession.COOKIE));
            Html.assertSecurityHeaders("failed login", response);
        }
    }

    /** SPEC §3.4: a POST to /login without the form's CSRF token gets 403, and so does one with another token. */
    @Test
    public void loginWithoutTheCsrfTokenIsForbidden() throws Exception {
        String body = "username=" + UiDistribution.VIEWER + "&password=" + UiDistribution.VIEWER_PASSWORD;
        HttpResponse<String> noToken = UI.send(UI.anonymous(), "POST", UI.httpsUrl("/login"), body,
                "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(403, noToken.statusCode());
        assertNull(Html.setCookie(noToken, UiSession.COOKIE));

        HttpResponse<String> form = UI.get(UI.anonymous(), "/login");
        String csrf = Html.form(form.body(), "/login").get("csrf");
        HttpResponse<String> tokenWithoutCookie = UI.send(UI.anonymous(), "POST", UI.httpsUrl("/login"), body + "&csrf=" + csrf,
                "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(403, tokenWithoutCookie.statusCode());
        HttpResponse<String> otherToken = UI.send(UI.anonymous(), "POST", UI.httpsUrl("/login"), body + "&csrf=" + "A".repeat(43),
                "Content-Type", "application/x-www-form-urlencoded",
                "Cookie", UiSession.LOGIN_CSRF_COOKIE + "=" + Html.cookieValue(Html.setCookie(form, UiSession.LOGIN_CSRF_COOKIE)));
        assertEquals(403, otherToken.statusCode());
        assertNull(Html.setCookie(otherToken, UiSession.COOKIE));
    }

    @Test
    public void loginOverPlainHttpRedirectsToHttps() throws Exception {
        for (String method : new String[] {"GET", "POST"}) {
            HttpResponse<String> response = UI.send(UI.plain(), method, UI.httpUrl("/login?next=%2Fhosts%2F"),
                    method.equals("POST") ? "username=a&password=b" : null, "Content-Type", "application/x-www-form-urlencoded");
            assertEquals(method, 302, response.statusCode());
            URI location = URI.create(Html.header(response, "Location"));
            assertEquals("https", location.getScheme());
            assertEquals("localhost", location.getHost());
            assertEquals(UI.httpsPort(), String.valueOf(location.getPort()));
            assertEquals("/login", location.getPath());
            assertNull("no password is taken over plain HTTP", Html.setCookie(response, UiSession.COOKIE));
        }
    }

    /** SPEC §3.3: next is followed only when it is a local path. */
    @Test
    public void nextIsFollowedOnlyWhenLocal() throws Exception {
        for (String next : new String[] {"//evil.example.org/", "https://evil.example.org/", "/\\evil.example.org"}) {
            HttpResponse<String> login = UiSession.attempt(UI, UiDistribution.ADMIN, UiDistribution.ADMIN_PASSWORD, next);
            assertEquals(next, 303, login.statusCode());
            assertEquals(next, "/", Html.header(login, "Location"));
        }
    }

    /** SPEC §3.2: a UI session never authorizes an API write. */
    @Test
    public void aSessionDoesNotAuthorizeApiWrites() throws Exception {
        UiSession admin = UiSession.login(UI, UiDistribution.ADMIN, UiDistribution.ADMIN_PASSWORD);
        String host = Fleet.standard().hosts.get(0).name();
        HttpResponse<String> write = UI.send(UI.anonymous(), "POST", UI.httpsUrl("/hosts/" + host + "/update"),
                Fleet.standard().hosts.get(0).report(), admin.cookie("Content-Type", "application/json"));
        UiPagesCheck.assertJsonError(403, write);
        UiPagesCheck.assertJsonError(403, UI.send(UI.anonymous(), "DELETE", UI.httpsUrl("/hosts/" + host), null, admin.cookie()));
        assertEquals(200, UI.get(UI.proxy(), "/hosts/" + host).statusCode());
    }
}
