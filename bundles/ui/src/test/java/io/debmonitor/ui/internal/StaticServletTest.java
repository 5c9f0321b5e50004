package io.debmonitor.ui.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import javax.servlet.ServletException;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.junit.Test;

public class StaticServletTest {

    private final StaticServlet servlet = new StaticServlet();
    private final String version = new StaticFiles().version();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final HttpServletResponse response = mock(HttpServletResponse.class);

    private HttpServletRequest request(String method, String pathInfo, String ifNoneMatch) throws IOException {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getMethod()).thenReturn(method);
        when(request.getPathInfo()).thenReturn(pathInfo);
        when(request.getHeader("If-None-Match")).thenReturn(ifNoneMatch);
        when(request.getProtocol()).thenReturn("HTTP/1.1");
        when(response.getOutputStream()).thenReturn(new ServletOutputStream() {
            @Override
            public void write(int b) {
                body.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
            }
        });
        when(response.getWriter()).thenReturn(new PrintWriter(new StringWriter()));
        return request;
    }

    @Test
    public void currentVersionIsCachedForAYear() throws IOException, ServletException {
        servlet.service(request("GET", "/" + version + "/app.css", null), response);
        verify(response).setContentType("text/css; charset=utf-8");
        verify(response).setHeader("Cache-Control", "public, max-age=31536000, immutable");
        assertTrue(body.toString(StandardCharsets.UTF_8).contains(".badge-security"));
        assertEquals(12, version.length());
    }

    @Test
    public void anotherVersionIsServedButRevalidated() throws IOException, ServletException {
        servlet.service(request("GET", "/0123456789ab/app.js", null), response);
        verify(response).setContentType("text/javascript; charset=utf-8");
        verify(response).setHeader("Cache-Control", "no-cache");
        assertTrue(body.size() > 0);
    }

    @Test
    public void matchingEtagIs304() throws IOException, ServletException {
        StaticFiles.Asset icon = new StaticFiles().find("favicon.svg");
        servlet.service(request("GET", "/" + version + "/favicon.svg", icon.etag()), response);
        verify(response).setStatus(304);
        assertEquals(0, body.size());
    }

    @Test
    public void unknownFilesAndDirectoriesAre404() throws IOException, ServletException {
        for (String path : new String[] {null, "/", "/app.css", "/" + version + "/", "/" + version + "/../templates/base.ftlh",
                "/" + version + "/other.css", "/x/y/app.css"}) {
            HttpServletResponse fresh = mock(HttpServletResponse.class);
            when(fresh.getWriter()).thenReturn(new PrintWriter(new StringWriter()));
            servlet.service(request("GET", path, null), fresh);
            verify(fresh).setStatus(404);
        }
    }

    @Test
    public void onlyGetAndHead() throws IOException, ServletException {
        servlet.service(request("POST", "/" + version + "/app.css", null), response);
        verify(response).setStatus(405);
        verify(response).setHeader("Allow", "GET, HEAD");
    }
}
