package io.debmonitor.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/** A password login to the web UI over HTTPS without a client certificate (SPEC §3.3), as a browser does it. */
record UiSession(String token) {

    static final String COOKIE = "debmonitor_session";
    static final String LOGIN_CSRF_COOKIE = "debmonitor_login_csrf";

    /** GET /login, then POST the form with its CSRF token and cookie; returns the POST's response. */
    static HttpResponse<String> attempt(UiDistribution ui, String user, String password, String next) throws Exception {
        HttpResponse<String> form = ui.get(ui.anonymous(), "/login");
        assertEquals(200, form.statusCode());
        String csrfCookie = Html.setCookie(form, LOGIN_CSRF_COOKIE);
        assertNotNull("GET /login sets the login CSRF cookie", csrfCookie);
        Map<String, String> fields = new LinkedHashMap<>(Html.form(form.body(), "/login"));
        fields.put("username", user);
        fields.put("password", password);
        if (next != null) {
            fields.put("next", next);
        }
        return ui.send(ui.anonymous(), "POST", ui.httpsUrl("/login"), Html.urlEncoded(fields),
                "Content-Type", "application/x-www-form-urlencoded", "Cookie", LOGIN_CSRF_COOKIE + "=" + Html.cookieValue(csrfCookie));
    }

    static UiSession login(UiDistribution ui, String user, String password) throws Exception {
        HttpResponse<String> response = attempt(ui, user, password, null);
        assertEquals(response.body(), 303, response.statusCode());
        String cookie = Html.setCookie(response, COOKIE);
        assertNotNull("a successful login sets the session cookie", cookie);
        return new UiSession(Html.cookieValue(cookie));
    }

    String[] cookie(String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Cookie";
        all[1] = COOKIE + "=" + token;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return all;
    }

    HttpResponse<String> get(UiDistribution ui, String path, String... headers) throws Exception {
        return ui.get(ui.anonymous(), path, cookie(headers));
    }

    /** The session's CSRF token, as every page's logout form carries it. */
    String csrf(UiDistribution ui) throws Exception {
        HttpResponse<String> page = get(ui, "/");
        assertEquals(200, page.statusCode());
        return Html.form(page.body(), "/logout").get("csrf");
    }

    HttpResponse<String> logout(UiDistribution ui, String csrf) throws Exception {
        return ui.send(ui.anonymous(), "POST", ui.httpsUrl("/logout"), csrf == null ? "" : "csrf=" + csrf,
                cookie("Content-Type", "application/x-www-form-urlencoded"));
    }
}
