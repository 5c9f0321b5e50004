package io.debmonitor.ui.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Consumes;
import javax.ws.rs.CookieParam;
import javax.ws.rs.FormParam;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.debmonitor.core.model.api.AuditAction;
import io.debmonitor.core.model.api.AuditService;
import io.debmonitor.core.model.api.CallerDTO;
import io.debmonitor.core.model.api.LoginThrottle;
import io.debmonitor.core.model.api.SessionDTO;
import io.debmonitor.core.model.api.SessionService;

/**
 * {@code GET|POST /login} and {@code POST /logout} (SPEC §3.3–3.4): a password login through the
 * JAAS realm {@code ui.jaasRealm} that creates a UI session. Passwords are taken only on secure
 * requests; plain HTTP is redirected to the HTTPS port. Before login, CSRF is checked by double
 * submit (a random cookie on {@code /login} that the form echoes); after it, by the session's
 * token. Failures are throttled per user name and per address ({@link LoginThrottle}). Logins,
 * failed ones included, and logouts go to the audit trail as {@code ui:<user>}; attempts the
 * throttle refuses only to the log, so that a flood of them cannot fill the audit table.
 */
@Component(service = Object.class, property = "debmonitor.jaxrs.resource=true")
@Path("/")
public class LoginResource {

    static final String LOGIN_CSRF_COOKIE = "debmonitor_login_csrf";
    static final String INVALID = "Invalid username or password";
    static final String THROTTLED = "Too many failed logins; try again later.";
    static final String EXPIRED_FORM = "The login form had expired; please try again.";

    /** Our random tokens: 256 bits, base64url without padding. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\]");
    private static final int MAX_USER = 255;

    private final Logger logger = LoggerFactory.getLogger(LoginResource.class);
    private final SecureRandom random = new SecureRandom();
    private final SessionService sessions;
    private final LoginThrottle throttle;
    private final Pages pages;
    private final AuditService audit;
    /** The authenticator of a JAAS realm: {@code ui.jaasRealm} is read at each login, so a change applies at once. */
    private final Function<String, Authenticator> authenticators;
    private final int httpsPort;

    @Activate
    public LoginResource(@Reference SessionService sessions, @Reference LoginThrottle throttle, @Reference Pages pages,
            @Reference AuditService audit) {
        this(sessions, throttle, pages, audit, JaasAuthenticator::new, Integer.getInteger("debmonitor.https.port", 8443));
    }

    LoginResource(SessionService sessions, LoginThrottle throttle, Pages pages, AuditService audit,
            Function<String, Authenticator> authenticators, int httpsPort) {
        this.sessions = sessions;
        this.throttle = throttle;
        this.pages = pages;
        this.audit = audit;
        this.authenticators = authenticators;
        this.httpsPort = httpsPort;
    }

    @GET
    @Path("login")
    public Response form(@Context HttpServletRequest request, @QueryParam("next") String next,
            @CookieParam(LOGIN_CSRF_COOKIE) String loginCsrf) {
        CallerDTO caller = caller(request);
        if (!caller.secure()) {
            String query = request.getQueryString();
            return toHttps(request, "/login" + (query == null ? "" : "?" + query));
        }
        if (caller.session() != null || caller.verified()) {
            return seeOther(target(next));
        }
        String csrf = loginCsrf != null && TOKEN.matcher(loginCsrf).matches() ? loginCsrf : newToken();
        return page(caller, pages.settings(), 200, csrf, localPath(next), null, null, null);
    }

    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response login(@Context HttpServletRequest request, @FormParam("username") String username,
            @FormParam("password") String password, @FormParam("csrf") String csrf, @FormParam("next") String next,
            @CookieParam(LOGIN_CSRF_COOKIE) String loginCsrf) {
        CallerDTO caller = caller(request);
        String local = localPath(next);
        if (!caller.secure()) {
            return toHttps(request, "/login" + (local == null ? "" : "?next=" + URLEncoder.encode(local, StandardCharsets.UTF_8)));
        }
        UiSettings settings = pages.settings();
        if (loginCsrf == null || !TOKEN.matcher(loginCsrf).matches() || !same(loginCsrf, csrf)) {
            return page(caller, settings, 403, newToken(), local, username, EXPIRED_FORM, null);
        }
        String user = username == null ? "" : username.strip();
        String address = request.getRemoteAddr();
        if (throttle.refused(user, address)) {
            logger.info("UI login of '{}' from {} refused: too many failed logins", printable(user), address);
            return page(caller, settings, 200, loginCsrf, local, user, INVALID, THROTTLED);
        }
        Set<String> roles = authenticate(settings, user, password);
        if (roles.isEmpty()) {
            throttle.failed(user, address);
            logger.info("UI login of '{}' from {} failed", printable(user), address);
            audit.record("ui:" + user, AuditAction.LOGIN_FAILED, null, "from " + address);
            return page(caller, settings, 200, loginCsrf, local, user, INVALID, null);
        }
        throttle.succeeded(user);
        if (caller.session() != null) {
            sessions.delete(caller.session().token());
        }
        SessionDTO session = sessions.create(user, roles);
        logger.info("UI login of '{}' from {} with roles {}", printable(user), address, roles);
        audit.record("ui:" + user, AuditAction.LOGIN, null, "from " + address + ", roles " + String.join(",", roles));
        return Response.status(303).header("Location", target(next)).header("Cache-Control", "no-store")
                .header("Set-Cookie", cookie(SessionService.COOKIE, session.token(), "/", "Lax", caller.secure(), false))
                .header("Set-Cookie", cookie(LOGIN_CSRF_COOKIE, "", "/login", "Strict", caller.secure(), true))
                .build();
    }

    @POST
    @Path("logout")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response logout(@Context HttpServletRequest request, @FormParam("csrf") String csrf) {
        CallerDTO caller = caller(request);
        SessionDTO session = caller.session();
        if (session == null || !same(session.csrfToken(), csrf)) {
            return Response.status(403).type("text/plain; charset=utf-8").header("Cache-Control", "no-store")
                    .entity(session == null ? "No session to log out of; it may have expired already.\n"
                            : "The logout request lacked this session's CSRF token.\n")
                    .build();
        }
        sessions.delete(session.token());
        logger.info("UI logout of '{}'", printable(session.user()));
        audit.record("ui:" + session.user(), AuditAction.LOGOUT, null, "from " + request.getRemoteAddr());
        return Response.status(303).header("Location", "/login").header("Cache-Control", "no-store")
                .header("Set-Cookie", cookie(SessionService.COOKIE, "", "/", "Lax", caller.secure(), true))
                .build();
    }

    /** @return the user's roles among {@code ui.requiredRoles}; empty when the login fails or grants none */
    private Set<String> authenticate(UiSettings settings, String user, String password) {
        // An empty password is refused here: an LDAP realm could take it as an anonymous bind.
        if (user.isEmpty() || user.length() > MAX_USER || password == null || password.isEmpty()) {
            return Set.of();
        }
        try {
            Set<String> roles = new TreeSet<>(authenticators.apply(settings.jaasRealm).roles(user, password.toCharArray()));
            roles.retainAll(settings.requiredRoles);
            return roles;
        } catch (FailedLoginException e) {
            return Set.of();
        } catch (LoginException e) {
            logger.warn("UI login of '{}': the JAAS realm failed: {}", printable(user), e.getMessage());
            return Set.of();
        }
    }

    private Response page(CallerDTO caller, UiSettings settings, int status, String csrf, String next, String username, String error,
            String notice) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("csrf", csrf);
        if (next != null) {
            model.put("next", next);
        }
        if (username != null) {
            model.put("username", username);
        }
        if (error != null) {
            model.put("error", error);
        }
        if (notice != null) {
            model.put("notice", notice);
        }
        return Response.status(status).type("text/html; charset=utf-8").entity(pages.render("login.ftlh", model, settings))
                .header("Cache-Control", "no-store")
                .header("Set-Cookie", cookie(LOGIN_CSRF_COOKIE, csrf, "/login", "Strict", caller.secure(), false))
                .build();
    }

    private Response toHttps(HttpServletRequest request, String pathAndQuery) {
        String host = hostWithoutPort(request.getHeader("Host"));
        if (host == null) {
            host = hostWithoutPort(request.getServerName());
        }
        if (host == null) {
            return Response.status(400).type("text/plain; charset=utf-8").entity("The request names no valid host.\n").build();
        }
        return Response.status(302).header("Location", "https://" + host + (httpsPort == 443 ? "" : ":" + httpsPort) + pathAndQuery)
                .header("Cache-Control", "no-store").build();
    }

    private static Response seeOther(String location) {
        return Response.status(303).header("Location", location).header("Cache-Control", "no-store").build();
    }

    private static CallerDTO caller(HttpServletRequest request) {
        Object attribute = request.getAttribute(CallerDTO.REQUEST_ATTRIBUTE);
        return attribute instanceof CallerDTO dto ? dto : new CallerDTO(Set.of(), null, request.isSecure(), null);
    }

    private String newToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** @return where to go after login: {@code next} when it is a local path, else the dashboard */
    static String target(String next) {
        String local = localPath(next);
        return local == null ? "/" : local;
    }

    /**
     * @return {@code next} when it is a path on this server: it starts with '/' but not with '//' or
     *         '/\' (both mean another host to a browser), and holds only printable ASCII (browsers
     *         drop tabs and newlines, so "/\t/evil" would become "//evil"); else null
     */
    static String localPath(String next) {
        if (next == null || next.isEmpty() || next.length() > 2048 || next.charAt(0) != '/') {
            return null;
        }
        if (next.length() > 1 && (next.charAt(1) == '/' || next.charAt(1) == '\\')) {
            return null;
        }
        for (int i = 0; i < next.length(); i++) {
            char c = next.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return null;
            }
        }
        return next;
    }

    /** @return the host of a Host header (name, IPv4 or bracketed IPv6) without its port; null when malformed */
    static String hostWithoutPort(String header) {
        if (header == null) {
            return null;
        }
        String host = header.strip();
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            host = end < 0 ? host : host.substring(0, end + 1);
        } else if (host.indexOf(':') == host.lastIndexOf(':') && host.indexOf(':') >= 0) {
            host = host.substring(0, host.indexOf(':'));
        }
        return HOST_NAME.matcher(host).matches() ? host : null;
    }

    /** A Set-Cookie value; {@code clear} expires the cookie at once. */
    static String cookie(String name, String value, String path, String sameSite, boolean secure, boolean clear) {
        return name + "=" + value + "; Path=" + path + (clear ? "; Max-Age=0" : "") + "; HttpOnly; SameSite=" + sameSite
                + (secure ? "; Secure" : "");
    }

    /** Compares two tokens in time independent of where they differ; a null {@code given} is never the same. */
    static boolean same(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    /** The user name as logged: control characters (forged log lines) replaced. */
    private static String printable(String user) {
        return user.replaceAll("\\p{Cntrl}", "?");
    }
}
