package io.debmonitor.ui.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.core.Response;

import org.junit.Before;
import org.junit.Test;

import io.debmonitor.core.model.api.AuditAction;
import io.debmonitor.core.model.api.AuditService;
import io.debmonitor.core.model.api.CallerDTO;
import io.debmonitor.core.model.api.LoginThrottle;
import io.debmonitor.core.model.api.SessionDTO;
import io.debmonitor.core.model.api.SessionService;

/** The decisions of the login page (SPEC §3.3–3.4); JAAS itself is replaced by a stub. */
public class LoginResourceTest {

    private static final String CSRF = "A".repeat(43);
    private static final SessionDTO SESSION = new SessionDTO("T".repeat(43), "alice", Set.of("viewer"), "S".repeat(43),
            Instant.EPOCH, Instant.EPOCH);

    private final SessionService sessions = mock(SessionService.class);
    private final LoginThrottle throttle = mock(LoginThrottle.class);
    private final AuditService audit = mock(AuditService.class);
    private final Templates templates = mock(Templates.class);
    private final Pages pages = new Pages(UiTestSupport.config(), templates, UiTestSupport.access());
    private final List<String> authenticated = new ArrayList<>();
    private final Map<String, Object> rendered = new HashMap<>();
    private LoginException loginFailure;
    private Set<String> realmRoles = Set.of("viewer", "ssh");
    private LoginResource resource;

    @Before
    public void setUp() {
        when(templates.render(eq("login.ftlh"), anyMap())).thenAnswer(call -> {
            rendered.clear();
            rendered.putAll(call.getArgument(1));
            return "<html>login</html>";
        });
        when(sessions.create(anyString(), any())).thenReturn(new SessionDTO("N".repeat(43), "alice", Set.of("viewer"), "C".repeat(43),
                Instant.EPOCH, Instant.EPOCH));
        resource = new LoginResource(sessions, throttle, pages, audit, realm -> (user, password) -> {
            authenticated.add(realm + "/" + user + ":" + new String(password));
            if (loginFailure != null) {
                throw loginFailure;
            }
            return realmRoles;
        }, 8443);
    }

    // --- next ---------------------------------------------------------------------------------

    @Test
    public void onlyLocalPathsAreFollowed() {
        for (String local : new String[] {"/", "/hosts/", "/hosts/?q=a&page=2", "/packages/libssl3", "/search?q=%2F%2Fx", "/a\\b"}) {
            assertEquals(local, LoginResource.target(local));
        }
        for (String foreign : new String[] {null, "", "hosts", "//evil.example", "/\\evil.example", "https://evil.example/",
                "/\t/evil.example", "/a\nb", "/a b", "/\u00e9", "\\\\evil.example", " /hosts"}) {
            assertEquals(String.valueOf(foreign), "/", LoginResource.target(foreign));
        }
    }

    @Test
    public void hostHeaderLosesItsPort() {
        assertEquals("debmonitor.example.org", LoginResource.hostWithoutPort("debmonitor.example.org:8181"));
        assertEquals("debmonitor.example.org", LoginResource.hostWithoutPort("debmonitor.example.org"));
        assertEquals("192.0.2.1", LoginResource.hostWithoutPort("192.0.2.1:8181"));
        assertEquals("[2001:db8::1]", LoginResource.hostWithoutPort("[2001:db8::1]:8181"));
        assertNull(LoginResource.hostWithoutPort("evil.example/path"));
        assertNull(LoginResource.hostWithoutPort("a@evil.example"));
        assertNull(LoginResource.hostWithoutPort(""));
        assertNull(LoginResource.hostWithoutPort(null));
    }

    // --- GET /login ----------------------------------------------------------------------------

    @Test
    public void plainHttpIsSentToTheHttpsPort() {
        HttpServletRequest request = request(insecure(), "debmonitor.example.org:8181");
        when(request.getQueryString()).thenReturn("next=%2Fhosts%2F");
        Response response = resource.form(request, "/hosts/", null);
        assertEquals(302, response.getStatus());
        assertEquals("https://debmonitor.example.org:8443/login?next=%2Fhosts%2F", location(response));
        assertNull(response.getHeaders().get("Set-Cookie"));

        Response post = resource.login(request(insecure(), "[2001:db8::1]:8181"), "alice", "secret", CSRF, "/hosts/", CSRF);
        assertEquals(302, post.getStatus());
        assertEquals("https://[2001:db8::1]:8443/login?next=%2Fhosts%2F", location(post));
        assertEquals(List.of(), authenticated);

        LoginResource on443 = new LoginResource(sessions, throttle, pages, audit, realm -> (u, p) -> Set.of(), 443);
        assertEquals("https://debmonitor.example.org/login", location(on443.form(request(insecure(), "debmonitor.example.org"), null, null)));
    }

    @Test
    public void formSetsTheLoginCsrfCookieAndEchoesIt() {
        Response response = resource.form(request(secure(), "h"), "/hosts/", null);
        assertEquals(200, response.getStatus());
        String cookie = setCookies(response).get(0);
        String token = (String) rendered.get("csrf");
        assertTrue(token, token.matches("[A-Za-z0-9_-]{43}"));
        assertEquals("debmonitor_login_csrf=" + token + "; Path=/login; HttpOnly; SameSite=Strict; Secure", cookie);
        assertEquals("/hosts/", rendered.get("next"));
        assertEquals("no-store", response.getHeaderString("Cache-Control"));

        resource.form(request(secure(), "h"), "//evil.example", CSRF);
        assertEquals("an existing cookie is kept, so two open forms both work", CSRF, rendered.get("csrf"));
        assertNull(rendered.get("next"));
    }

    @Test
    public void loggedInCallersSkipTheForm() {
        Response withSession = resource.form(request(secure().withSession(SESSION), "h"), "/packages/", null);
        assertEquals(303, withSession.getStatus());
        assertEquals("/packages/", location(withSession));
        Response withCertificate = resource.form(request(new CallerDTO(Set.of("db1001.example.org"), null, true, null), "h"),
                "//evil.example", null);
        assertEquals(303, withCertificate.getStatus());
        assertEquals("/", location(withCertificate));
    }

    // --- POST /login ---------------------------------------------------------------------------

    @Test
    public void csrfMismatchIs403WithoutCheckingThePassword() {
        for (String[] pair : new String[][] {{CSRF, "B".repeat(43)}, {null, CSRF}, {CSRF, null}, {"short", "short"}}) {
            Response response = resource.login(request(secure(), "h"), "alice", "secret", pair[1], "/", pair[0]);
            assertEquals(403, response.getStatus());
            assertTrue("a fresh login cookie to retry with", setCookies(response).get(0).startsWith("debmonitor_login_csrf="));
            assertEquals(LoginResource.EXPIRED_FORM, rendered.get("error"));
        }
        assertEquals(List.of(), authenticated);
        verify(throttle, never()).failed(anyString(), anyString());
        verify(sessions, never()).create(anyString(), any());
        verify(audit, never()).record(anyString(), any(), any(), any());
    }

    @Test
    public void successCreatesASessionWithTheRequiredRolesOnly() {
        realmRoles = Set.of("viewer", "admin", "ssh", "manager");
        Response response = resource.login(request(secure().withSession(SESSION), "h"), " alice ", "secret", CSRF, "/hosts/?q=1", CSRF);
        assertEquals(303, response.getStatus());
        assertEquals("/hosts/?q=1", location(response));
        assertEquals(List.of("karaf/alice:secret"), authenticated);
        verify(sessions).create("alice", Set.of("viewer", "admin"));
        verify(sessions).delete(SESSION.token());
        verify(throttle).succeeded("alice");
        verify(audit).record("ui:alice", AuditAction.LOGIN, null, "from 192.0.2.7, roles admin,viewer");
        List<String> cookies = setCookies(response);
        assertEquals("debmonitor_session=" + "N".repeat(43) + "; Path=/; HttpOnly; SameSite=Lax; Secure", cookies.get(0));
        assertEquals("debmonitor_login_csrf=; Path=/login; Max-Age=0; HttpOnly; SameSite=Strict; Secure", cookies.get(1));
    }

    @Test
    public void foreignNextLeadsHome() {
        assertEquals("/", location(resource.login(request(secure(), "h"), "alice", "secret", CSRF, "//evil.example/", CSRF)));
    }

    @Test
    public void wrongPasswordReshowsTheFormAndCounts() {
        loginFailure = new FailedLoginException("Password does not match");
        Response response = resource.login(request(secure(), "h"), "alice", "wrong", CSRF, "/hosts/", CSRF);
        assertFailed(response, "alice");
        assertEquals("/hosts/", rendered.get("next"));
        assertEquals(CSRF, rendered.get("csrf"));
    }

    @Test
    public void realmErrorsAreFailuresToo() {
        loginFailure = new LoginException("No LoginModules configured for karaf");
        assertFailed(resource.login(request(secure(), "h"), "alice", "secret", CSRF, null, CSRF), "alice");
    }

    @Test
    public void userWithoutARequiredRoleCannotLogIn() {
        realmRoles = Set.of("ssh", "manager");
        assertFailed(resource.login(request(secure(), "h"), "alice", "secret", CSRF, null, CSRF), "alice");
        assertEquals(List.of("karaf/alice:secret"), authenticated);
    }

    @Test
    public void aModifiedRealmAndRolesApplyAtTheNextLogin() {
        realmRoles = Set.of("ssh", "viewer");
        pages.modified(UiTestSupport.config("ui_requiredRoles", new String[] {"admin"}));
        assertFailed(resource.login(request(secure(), "h"), "alice", "secret", CSRF, null, CSRF), "alice");

        pages.modified(UiTestSupport.config("ui_jaasRealm", " ldap ", "ui_requiredRoles", new String[] {"ssh, ops"}));
        Response response = resource.login(request(secure(), "h"), "alice", "secret", CSRF, null, CSRF);
        assertEquals(303, response.getStatus());
        assertEquals(List.of("karaf/alice:secret", "ldap/alice:secret"), authenticated);
        verify(sessions).create("alice", Set.of("ssh"));
    }

    @Test
    public void emptyPasswordOrUserNeverReachesTheRealm() {
        assertFailed(resource.login(request(secure(), "h"), "alice", "", CSRF, null, CSRF), "alice");
        assertFailed(resource.login(request(secure(), "h"), "alice", null, CSRF, null, CSRF), "alice");
        assertFailed(resource.login(request(secure(), "h"), "", "secret", CSRF, null, CSRF), "");
        assertEquals(List.of(), authenticated);
    }

    @Test
    public void throttledAttemptsAreRefusedWithoutCheckingThePassword() {
        when(throttle.refused("alice", "192.0.2.7")).thenReturn(true);
        Response response = resource.login(request(secure(), "h"), "alice", "secret", CSRF, null, CSRF);
        assertEquals(200, response.getStatus());
        assertEquals(LoginResource.INVALID, rendered.get("error"));
        assertEquals(LoginResource.THROTTLED, rendered.get("notice"));
        assertEquals(List.of(), authenticated);
        verify(audit, never()).record(anyString(), any(), any(), any());
        verify(throttle, never()).failed(anyString(), anyString());
        verify(sessions, never()).create(anyString(), any());
    }

    @Test
    public void theRealTemplateRendersTheFormEscaped() {
        Pages realPages = UiTestSupport.pages(UiTestSupport.config());
        LoginResource real = new LoginResource(sessions, throttle, realPages, audit, realm -> (user, password) -> {
            throw new FailedLoginException();
        }, 8443);
        String html = (String) real.login(request(secure(), "h"), "<b>x</b>", "pw", CSRF, "/hosts/?a=1&b=2", CSRF).getEntity();
        assertTrue(html, html.contains("<form class=\"card filters\" method=\"post\" action=\"/login\">"));
        assertTrue(html, html.contains("name=\"csrf\" value=\"" + CSRF + "\""));
        assertTrue(html, html.contains("name=\"next\" value=\"/hosts/?a=1&amp;b=2\""));
        assertTrue(html, html.contains("value=\"&lt;b&gt;x&lt;/b&gt;\""));
        assertTrue(html, html.contains(LoginResource.INVALID));
        assertTrue(html, html.contains("type=\"password\""));
        assertTrue(html, !html.contains(" style=") && !html.contains("<style") && !html.contains("<script>"));
    }

    // --- POST /logout --------------------------------------------------------------------------

    @Test
    public void logoutWithTheSessionTokenEndsTheSession() {
        Response response = resource.logout(request(secure().withSession(SESSION), "h"), SESSION.csrfToken());
        assertEquals(303, response.getStatus());
        assertEquals("/login", location(response));
        verify(sessions).delete(SESSION.token());
        assertEquals("debmonitor_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure", setCookies(response).get(0));
        verify(audit).record("ui:alice", AuditAction.LOGOUT, null, "from 192.0.2.7");
    }

    @Test
    public void logoutWithoutTheTokenIs403() {
        assertEquals(403, resource.logout(request(secure().withSession(SESSION), "h"), null).getStatus());
        assertEquals(403, resource.logout(request(secure().withSession(SESSION), "h"), CSRF).getStatus());
        assertEquals(403, resource.logout(request(secure(), "h"), SESSION.csrfToken()).getStatus());
        verify(sessions, never()).delete(anyString());
        verify(audit, never()).record(anyString(), any(), any(), any());
    }

    // --- helpers -------------------------------------------------------------------------------

    private void assertFailed(Response response, String user) {
        assertEquals(200, response.getStatus());
        assertEquals(LoginResource.INVALID, rendered.get("error"));
        assertNull(rendered.get("notice"));
        assertEquals(user, rendered.get("username"));
        verify(throttle, org.mockito.Mockito.atLeastOnce()).failed(user, "192.0.2.7");
        verify(audit, org.mockito.Mockito.atLeastOnce()).record("ui:" + user, AuditAction.LOGIN_FAILED, null, "from 192.0.2.7");
        verify(sessions, never()).create(anyString(), any());
        assertTrue(setCookies(response).stream().noneMatch(c -> c.startsWith("debmonitor_session=")));
    }

    private static CallerDTO secure() {
        return new CallerDTO(Set.of(), null, true, null);
    }

    private static CallerDTO insecure() {
        return new CallerDTO(Set.of(), null, false, null);
    }

    private static HttpServletRequest request(CallerDTO caller, String host) {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getAttribute(CallerDTO.REQUEST_ATTRIBUTE)).thenReturn(caller);
        when(request.getHeader("Host")).thenReturn(host);
        when(request.getRemoteAddr()).thenReturn("192.0.2.7");
        return request;
    }

    private static String location(Response response) {
        return response.getHeaderString("Location");
    }

    private static List<String> setCookies(Response response) {
        List<String> cookies = new ArrayList<>();
        List<Object> values = response.getHeaders().get("Set-Cookie");
        if (values != null) {
            values.forEach(value -> cookies.add(value.toString()));
        }
        return cookies;
    }
}
