package io.debmonitor.bench.lab;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.Test;

public class UiTest {

    private static LabHttp.Answer answer(String raw) throws IOException {
        return LabHttp.parse(raw.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    public void takesTheSessionCookieFromTheLoginAnswer() throws IOException {
        LabHttp.Answer login = answer("HTTP/1.1 303 See Other\r\nLocation: /\r\n"
                + "Set-Cookie: debmonitor_session=abc_-123; Path=/; HttpOnly; SameSite=Lax; Secure\r\n"
                + "Set-Cookie: debmonitor_login_csrf=; Path=/login; Max-Age=0; HttpOnly; SameSite=Strict; Secure\r\n"
                + "Content-Length: 0\r\n\r\n");
        assertEquals("abc_-123", Ui.cookie(login, Ui.SESSION_COOKIE));
        assertEquals("", Ui.cookie(login, Ui.LOGIN_CSRF_COOKIE));
        assertNull(Ui.cookie(login, "other"));
    }

    @Test
    public void findsTheLogoutFormsToken() {
        // As templates/base.ftlh renders it for a session.
        String html = "<div class=\"nav-user\">\n      <span class=\"user\" title=\"Logged in user\">karaf</span>\n"
                + "      <form action=\"/logout\" method=\"post\">\n        <input type=\"hidden\" name=\"csrf\" value=\"tok-EN_1\">\n"
                + "        <button type=\"submit\" class=\"link-button\">Log out</button>\n      </form>";
        assertEquals("tok-EN_1", Ui.logoutCsrf(html));
        assertNull(Ui.logoutCsrf("<form action=\"/search\"><input type=\"hidden\" name=\"csrf\" value=\"x\">"));
    }

    @Test
    public void recognisesARedirectToTheLoginPage() throws IOException {
        assertTrue(Ui.toLogin(answer("HTTP/1.1 302 Found\r\nLocation: /login?next=%2F\r\nContent-Length: 0\r\n\r\n")));
        assertTrue(Ui.toLogin(answer("HTTP/1.1 303 See Other\r\nLocation: https://127.0.0.30:8443/login\r\nContent-Length: 0\r\n\r\n")));
        assertFalse(Ui.toLogin(answer("HTTP/1.1 302 Found\r\nLocation: /hosts/\r\nContent-Length: 0\r\n\r\n")));
        assertFalse(Ui.toLogin(answer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")));
    }
}
