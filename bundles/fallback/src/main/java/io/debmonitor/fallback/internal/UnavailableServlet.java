package io.debmonitor.fallback.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * The default servlet ('/') of the HTTP front: it receives a request only while no other servlet
 * serves its path, i.e. while the server is starting or the application bundle is being
 * redeployed (the application's servlet at '/*' wins as soon as it is registered). It answers
 * 503 with Retry-After, so clients retry instead of dropping a report over a 404. This bundle
 * starts right after the HTTP service (start level 31), long before the application.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/")
@HttpWhiteboardServletName("debmonitor-unavailable")
public class UnavailableServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    static final String MESSAGE = "DebMonitor is starting or being updated; retry in a few seconds.";
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "font-src 'self'; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setHeader("Retry-After", "5");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Content-Security-Policy", CSP);
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "same-origin");
        String body;
        if (wantsHtml(request)) {
            response.setContentType("text/html; charset=utf-8");
            body = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Starting - DebMonitor</title></head>"
                    + "<body><main><h1>503 Service Unavailable</h1><p>" + MESSAGE + "</p></main></body></html>\n";
        } else {
            response.setContentType("application/json; charset=utf-8");
            body = "{\"error\":\"" + MESSAGE + "\"}";
        }
        if (!"HEAD".equals(request.getMethod())) {
            response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static boolean wantsHtml(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        return ("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod())) && accept != null && accept.contains("text/html");
    }
}
