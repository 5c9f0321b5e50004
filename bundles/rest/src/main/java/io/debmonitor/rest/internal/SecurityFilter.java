package io.debmonitor.rest.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Set;

import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.FilterConfig;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.debmonitor.core.model.api.AccessService;
import io.debmonitor.core.model.api.CallerDTO;
import io.debmonitor.core.model.api.SessionService;
import io.debmonitor.core.model.api.StorageUnavailableException;

/**
 * Runs before every servlet of the default context: identifies the caller once (SPEC §3.1), adds
 * the UI session named by the session cookie (SPEC §3.3), leaves both in a request attribute for
 * the resources to authorize, and sets the security headers of SPEC §3.4 on every response,
 * errors included.
 */
@Component(service = Filter.class, property = {
    HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_PATTERN + "=/*",
    HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_NAME + "=debmonitor-security"})
public class SecurityFilter implements Filter {

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "font-src 'self'; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    private final Logger logger = LoggerFactory.getLogger(SecurityFilter.class);
    private final AccessService access;
    private final SessionService sessions;
    private final FrontSettings settings;

    @Activate
    public SecurityFilter(@Reference AccessService access, @Reference SessionService sessions, @Reference FrontSettings settings) {
        this.access = access;
        this.sessions = sessions;
        this.settings = settings;
    }

    /** @return the caller the filter identified; an unverified caller if the filter has not run */
    static CallerDTO caller(HttpServletRequest request) {
        Object caller = request.getAttribute(CallerDTO.REQUEST_ATTRIBUTE);
        return caller instanceof CallerDTO dto ? dto : new CallerDTO(Set.of(), null, request.isSecure(), null);
    }

    @Override
    public void init(FilterConfig config) {
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        X509Certificate[] certificates = (X509Certificate[]) request.getAttribute("javax.servlet.request.X509Certificate");
        CallerDTO caller = access.identify(request.isSecure(), certificates, request.getRemoteAddr(), request::getHeader);
        FrontSettings.Values current = settings.values();
        response.setHeader("Content-Security-Policy", CSP);
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "same-origin");
        if (caller.secure() && current.hsts() != null) {
            response.setHeader("Strict-Transport-Security", current.hsts());
        }
        String token = request.getRequestURI().startsWith(request.getContextPath() + "/static/") ? null : sessionCookie(request);
        if (token != null) {
            try {
                caller = sessions.find(token, current.sessionTimeout()).map(caller::withSession).orElse(caller);
            } catch (StorageUnavailableException e) {
                // Without the database the session is unknown, not absent: sending its user to the
                // login page would end a session that is still valid. /healthz must answer anyway.
                if (!request.getRequestURI().equals(request.getContextPath() + "/healthz")) {
                    unavailable(request, response, e);
                    return;
                }
            }
        }
        request.setAttribute(CallerDTO.REQUEST_ATTRIBUTE, caller);
        chain.doFilter(request, response);
    }

    private void unavailable(HttpServletRequest request, HttpServletResponse response, StorageUnavailableException e) throws IOException {
        logger.warn("503: the UI session could not be looked up: {}", e.getMessage());
        Response json = ErrorResponses.error(503, "The database is unavailable; retry in a few seconds.").header("Retry-After", "5").build();
        String accept = request.getHeader("Accept");
        boolean html = ("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod())) && accept != null
                && accept.contains("text/html") && !"json".equals(request.getParameter("format"));
        Response answer = html ? ErrorResponses.asHtml(json) : json;
        response.setStatus(503);
        response.setHeader("Retry-After", "5");
        response.setHeader("Cache-Control", "no-store");
        response.setContentType(answer.getMediaType().toString());
        response.getOutputStream().write(String.valueOf(answer.getEntity()).getBytes(StandardCharsets.UTF_8));
    }

    private static String sessionCookie(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie cookie : cookies) {
                if (SessionService.COOKIE.equals(cookie.getName())) {
                    return cookie.getValue();
                }
            }
        }
        return null;
    }

    @Override
    public void destroy() {
    }
}
