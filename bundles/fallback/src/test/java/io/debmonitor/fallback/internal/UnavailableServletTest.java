package io.debmonitor.fallback.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.junit.Test;

public class UnavailableServletTest {

    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    private HttpServletResponse response() throws Exception {
        HttpServletResponse response = mock(HttpServletResponse.class);
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
        return response;
    }

    @Test
    public void aReportDuringStartUpGets503JsonWithRetryAfter() throws Exception {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getMethod()).thenReturn("POST");
        HttpServletResponse response = response();
        new UnavailableServlet().service(request, response);
        verify(response).setStatus(503);
        verify(response).setHeader("Retry-After", "5");
        verify(response).setContentType("application/json; charset=utf-8");
        assertEquals("{\"error\":\"" + UnavailableServlet.MESSAGE + "\"}", body.toString(StandardCharsets.UTF_8));
    }

    @Test
    public void aBrowserGetsAnHtmlPage() throws Exception {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getMethod()).thenReturn("GET");
        when(request.getHeader("Accept")).thenReturn("text/html,application/xhtml+xml,*/*;q=0.8");
        HttpServletResponse response = response();
        new UnavailableServlet().service(request, response);
        verify(response).setStatus(503);
        verify(response).setContentType("text/html; charset=utf-8");
        assertTrue(body.toString(StandardCharsets.UTF_8).contains("<h1>503 Service Unavailable</h1>"));
    }
}
