package io.debmonitor.bench.lab;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.Test;

public class LabHttpTest {

    private static LabHttp.Answer parse(String raw) throws IOException {
        return LabHttp.parse(raw.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    public void readsStatusHeadersAndBody() throws IOException {
        LabHttp.Answer a = parse("HTTP/1.1 503 Service Unavailable\r\nretry-after: 5\r\nSet-Cookie: a=1; Path=/\r\n"
                + "Set-Cookie: b=2\r\nContent-Length: 11\r\n\r\n{\"error\":1}");
        assertEquals(503, a.status());
        assertEquals("5", a.header("Retry-After"));
        assertEquals(List.of("a=1; Path=/", "b=2"), a.headers("set-cookie"));
        assertEquals("{\"error\":1}", a.body());
        assertEquals(201, parse("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n").status());
    }

    @Test
    public void decodesAChunkedBody() throws IOException {
        assertEquals("hello world", parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;x=y\r\n world\r\n0\r\n\r\n").body());
    }

    @Test
    public void aResponseCutShortIsAnErrorNeverASuccess() {
        assertThrows(EOFException.class, () -> parse("HTTP/1.1 201 Created\r\nContent-Le"));
        assertThrows(EOFException.class, () -> parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"));
        assertThrows(EOFException.class, () -> parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n"));
        assertThrows(IOException.class, () -> parse("SSH-2.0-OpenSSH\r\n\r\n"));
    }
}
