package io.debmonitor.bench.lab;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;


/**
 * Invariant I8 through the UI's password login (SPEC §3.3, LoginResource): {@code GET /login} sets
 * the double-submit cookie {@value #LOGIN_CSRF_COOKIE} that {@code POST /login} (username, password,
 * csrf, next) must echo; success is a 303 that sets {@value #SESSION_COOKIE}. {@code POST /logout}
 * takes the session's CSRF token from the logout form of any page. No client certificate is
 * presented: a certificate would count as logged in by itself.
 */
final class Ui {

    static final Set<String> OPTIONS = Set.of("server", "user", "password", "seconds", "out", "state", "stop-file", "page", "server-ca",
            "timeout");
    static final Set<String> LOGOUT_OPTIONS = Set.of("login-server", "check-server", "user", "password", "page", "server-ca", "timeout");
    static final String SESSION_COOKIE = "debmonitor_session";
    static final String LOGIN_CSRF_COOKIE = "debmonitor_login_csrf";
    private static final Pattern LOGOUT_CSRF = Pattern.compile("action=\"/logout\"[^>]*>\\s*<input type=\"hidden\" name=\"csrf\" value=\"([^\"]+)\"");

    private Ui() {
    }

    /** A login the server refused (as opposed to one that could not reach it). */
    static final class LoginRefused extends Exception {
        LoginRefused(String message) {
            super(message);
        }
    }

    /** @return the session token */
    static String login(LabHttp http, String user, String password) throws IOException, GeneralSecurityException, LoginRefused {
        LabHttp.Answer form = http.send(null, "GET", "/login", List.of("Accept: text/html"), null);
        String csrf = cookie(form, LOGIN_CSRF_COOKIE);
        if (form.status() != 200 || csrf == null) {
            throw new LoginRefused("GET /login answered " + form.status() + (csrf == null ? " without the login CSRF cookie" : ""));
        }
        String body = "username=" + encode(user) + "&password=" + encode(password) + "&csrf=" + encode(csrf) + "&next=%2F";
        LabHttp.Answer answer = http.send(null, "POST", "/login", List.of("Content-Type: application/x-www-form-urlencoded",
                "Accept: text/html", "Cookie: " + LOGIN_CSRF_COOKIE + "=" + csrf), body.getBytes(StandardCharsets.UTF_8));
        String session = cookie(answer, SESSION_COOKIE);
        if (answer.status() != 303 || session == null || session.isEmpty()) {
            throw new LoginRefused("POST /login answered " + answer.status()
                    + (answer.status() == 200 ? " (the form again: wrong user or password, or too many failures)" : ""));
        }
        return session;
    }

    /** @return the value a Set-Cookie header of the answer gives {@code name}, or null */
    static String cookie(LabHttp.Answer answer, String name) {
        for (String header : answer.headers("Set-Cookie")) {
            if (header.startsWith(name + "=")) {
                int end = header.indexOf(';');
                return header.substring(name.length() + 1, end < 0 ? header.length() : end);
            }
        }
        return null;
    }

    /** @return the CSRF token of a page's logout form, or null */
    static String logoutCsrf(String html) {
        Matcher m = LOGOUT_CSRF.matcher(html);
        return m.find() ? m.group(1) : null;
    }

    static boolean toLogin(LabHttp.Answer answer) {
        String location = answer.header("Location");
        return (answer.status() == 302 || answer.status() == 303) && location != null
                && (location.startsWith("/login") || location.contains("://") && URI.create(location).getPath().startsWith("/login"));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static LabHttp.Answer page(LabHttp http, String path, String session) throws IOException, GeneralSecurityException {
        return http.send(null, "GET", path, List.of("Accept: text/html", "Cookie: " + SESSION_COOKIE + "=" + session), null);
    }

    /**
     * {@code ui}: log in once, then fetch a page every second with that session; any re-login is a
     * failure (I8), and so is any answer but 200 or 503 with Retry-After (a database failover).
     */
    static int run(Args a, PrintStream log) throws Exception {
        LabHttp http = new LabHttp(a.server("server"), a.path("server-ca"), a.positive("timeout", 30));
        int seconds = a.positive("seconds", 60);
        String path = a.string("page", "/");
        Path stopFile = a.path("stop-file");
        Path dir = LabDriver.out(a, a.path("state"));
        String session = null;
        for (int attempt = 1; session == null; attempt++) {
            try {
                session = login(http, a.required("user"), a.required("password"));
            } catch (IOException e) {
                if (attempt == 5) {
                    log.println("ui: login failed: " + e);
                    return 1;
                }
                Thread.sleep(1000);
            } catch (LoginRefused e) {
                log.println("ui: login failed: " + e.getMessage());
                return 1;
            }
        }
        log.printf("ui: logged in; GET %s every second for %d s%s%n", path, seconds, stopFile == null ? "" : " or until " + stopFile + " exists");

        long start = System.currentTimeMillis();
        long ok = 0;
        long loginRedirects = 0;
        long connectionErrors = 0;
        long unavailable = 0;
        long maxLatency = 0;
        long lastOk = start;
        long longestWithoutOk = 0;
        String firstFailure = null;
        Map<String, Long> other = new TreeMap<>();
        try (CsvLog csv = new CsvLog(dir.resolve("ui.csv"), "time,status,latency_ms,detail")) {
            for (int i = 1; System.currentTimeMillis() - start < seconds * 1000L && (stopFile == null || !Files.exists(stopFile)); i++) {
                long t0 = System.currentTimeMillis();
                String status;
                String detail = "";
                try {
                    LabHttp.Answer answer = page(http, path, session);
                    status = String.valueOf(answer.status());
                    if (answer.status() == 200) {
                        ok++;
                        lastOk = System.currentTimeMillis();
                    } else if (toLogin(answer)) {
                        loginRedirects++;
                        detail = "redirected to " + answer.header("Location");
                    } else if (answer.status() == 503 && answer.header("Retry-After") != null) {
                        // the database or a component is away: the session is kept, the page comes back
                        unavailable++;
                    } else {
                        other.merge(status, 1L, Long::sum);
                        detail = ReportSender.abbreviate(answer.body());
                    }
                } catch (IOException e) {
                    connectionErrors++;
                    status = e.getClass().getSimpleName();
                    detail = String.valueOf(e.getMessage());
                }
                long now = System.currentTimeMillis();
                maxLatency = Math.max(maxLatency, now - t0);
                longestWithoutOk = Math.max(longestWithoutOk, now - lastOk);
                csv.row(Instant.ofEpochMilli(t0), status, now - t0, detail);
                boolean failure = !status.equals("200") && !status.equals("503") && Character.isDigit(status.charAt(0));
                if (failure && firstFailure == null) {
                    firstFailure = Instant.ofEpochMilli(t0) + " " + status + " " + detail;
                    log.println("ui: FAILURE " + firstFailure);
                }
                if (i % 10 == 0) {
                    log.printf("[%4d s] ui: %d ok, %d redirected to /login, %d connection errors, %d 503 with Retry-After, other %s%n",
                            (now - start) / 1000, ok, loginRedirects, connectionErrors, unavailable, other);
                    csv.flush();
                }
                Thread.sleep(Math.max(0, Math.max(start + i * 1000L, now + 200) - System.currentTimeMillis()));
            }
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("command", "ui");
        summary.put("started", Instant.ofEpochMilli(start).toString());
        summary.put("server", a.required("server"));
        summary.put("page", path);
        summary.put("requests", ok + loginRedirects + connectionErrors + unavailable + other.values().stream().mapToLong(Long::longValue).sum());
        summary.put("ok_200", ok);
        summary.put("redirected_to_login", loginRedirects);
        summary.put("connection_errors", connectionErrors);
        summary.put("unavailable_503_with_retry_after", unavailable);
        summary.put("other_statuses", new LinkedHashMap<>(other));
        summary.put("max_latency_ms", maxLatency);
        summary.put("longest_window_without_200_ms", longestWithoutOk);
        summary.put("first_failure", firstFailure);
        boolean passed = ok > 0 && loginRedirects == 0 && other.isEmpty();
        summary.put("passed_I8", passed);
        LabDriver.writeJson(dir.resolve("ui-summary.json"), summary, log);
        log.println(passed ? String.format("ui: passed: %d pages, 0 re-logins (%d connection errors, %d 503 with Retry-After, longest %d ms without a page)",
                ok, connectionErrors, unavailable, longestWithoutOk) : "ui: FAILED (I8)");
        return passed ? 0 : 1;
    }

    /** {@code ui-logout-check}: a logout on one node ends the session on the other (I8). */
    static int logoutCheck(Args a, PrintStream log) throws Exception {
        int timeout = a.positive("timeout", 30);
        LabHttp login = new LabHttp(a.server("login-server"), a.path("server-ca"), timeout);
        LabHttp check = new LabHttp(a.server("check-server"), a.path("server-ca"), timeout);
        String path = a.string("page", "/");
        String session;
        try {
            session = login(login, a.required("user"), a.required("password"));
        } catch (LoginRefused e) {
            log.println("ui-logout-check: login failed: " + e.getMessage());
            return 1;
        }
        log.println("Logged in through " + a.required("login-server"));
        LabHttp.Answer before = page(check, path, session);
        if (before.status() != 200) {
            log.println("ui-logout-check: FAILED: before the logout, " + a.required("check-server") + " answered " + before.status()
                    + " to the session (expected 200: the session must be valid on both nodes first)");
            return 1;
        }
        LabHttp.Answer home = page(login, path, session);
        String csrf = home.status() == 200 ? logoutCsrf(home.body()) : null;
        if (csrf == null) {
            log.println("ui-logout-check: FAILED: no logout form on " + path + " (HTTP " + home.status() + ")");
            return 1;
        }
        LabHttp.Answer logout = login.send(null, "POST", "/logout", List.of("Content-Type: application/x-www-form-urlencoded",
                "Accept: text/html", "Cookie: " + SESSION_COOKIE + "=" + session), ("csrf=" + encode(csrf)).getBytes(StandardCharsets.UTF_8));
        if (!toLogin(logout)) {
            log.println("ui-logout-check: FAILED: POST /logout answered " + logout.status() + " " + ReportSender.abbreviate(logout.body()));
            return 1;
        }
        log.println("Logged out through " + a.required("login-server"));
        LabHttp.Answer after = page(check, path, session);
        if (toLogin(after)) {
            log.println("ui-logout-check: passed: " + a.required("check-server") + " now redirects the session to " + after.header("Location"));
            return 0;
        }
        log.println("ui-logout-check: FAILED: after the logout, " + a.required("check-server") + " answered " + after.status()
                + (after.header("Location") == null ? "" : " to " + after.header("Location")) + " (expected a redirect to /login)");
        return 1;
    }
}
