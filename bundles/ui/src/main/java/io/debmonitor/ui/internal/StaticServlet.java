package io.debmonitor.ui.internal;

import java.io.IOException;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

/**
 * {@code GET|HEAD /static/<version>/<file>}: the UI's CSS, script and icon. The current version
 * is cached for a year; any other version segment (a page rendered before an upgrade) still gets
 * the file, revalidated by ETag. Unknown files get 404; there is no directory listing.
 */
@Component(service = Servlet.class, property = {
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/static/*",
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=debmonitor-static"})
public class StaticServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient StaticFiles files = new StaticFiles();

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException, javax.servlet.ServletException {
        String method = request.getMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            response.setHeader("Allow", "GET, HEAD");
            plain(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "Method not allowed.");
            return;
        }
        super.service(request, response);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        int slash = path == null ? -1 : path.indexOf('/', 1);
        StaticFiles.Asset asset = slash < 0 ? null : files.find(path.substring(slash + 1));
        if (asset == null) {
            plain(response, HttpServletResponse.SC_NOT_FOUND, "Not found.");
            return;
        }
        boolean current = path.substring(1, slash).equals(files.version());
        response.setHeader("Cache-Control", current ? "public, max-age=31536000, immutable" : "no-cache");
        response.setHeader("ETag", asset.etag());
        if (asset.etag().equals(request.getHeader("If-None-Match"))) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        response.setContentType(asset.contentType());
        response.setContentLength(asset.content().length);
        response.getOutputStream().write(asset.content());
    }

    private static void plain(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain; charset=utf-8");
        response.getWriter().write(message);
    }
}
