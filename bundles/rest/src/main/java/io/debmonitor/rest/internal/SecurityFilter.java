package io.debmonitor.rest.internal;

import java.io.IOException;
import java.security.cert.X509Certificate;

import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.FilterConfig;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

import io.debmonitor.core.model.api.AccessService;
import io.debmonitor.core.model.api.CallerDTO;

/**
 * Runs before every servlet of the default context: identifies the caller once (SPEC §3.1) and
 * leaves it in a request attribute for the resources to authorize, and sets the security headers
 * of SPEC §3.4 on every response, errors included.
 */
@Component(service = Filter.class, property = {
    HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_PATTERN + "=/*",
    HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_NAME + "=debmonitor-security"})
public class SecurityFilter implements Filter {

    /** Request attribute holding the {@link CallerDTO}. */
    static final String CALLER = "io.debmonitor.caller";

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "font-src 'self'; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    private final AccessService access;

    @Activate
    public SecurityFilter(@Reference AccessService access) {
        this.access = access;
    }

    /** @return the caller the filter identified; an unverified caller if the filter has not run */
    static CallerDTO caller(HttpServletRequest request) {
        Object caller = request.getAttribute(CALLER);
        return caller instanceof CallerDTO dto ? dto : new CallerDTO(java.util.Set.of(), null, request.isSecure());
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
        request.setAttribute(CALLER, caller);
        response.setHeader("Content-Security-Policy", CSP);
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "same-origin");
        if (caller.secure()) {
            response.setHeader("Strict-Transport-Security", "max-age=31536000");
        }
        chain.doFilter(request, response);
    }

    @Override
    public void destroy() {
    }
}
