package io.debmonitor.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * GETs pages the way one browser tab does: over one kept-alive TLS connection, opened again only
 * when the server closes it. Not thread-safe: one client per worker.
 */
final class PageClient implements Closeable {

    private static final String HTML_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    private static final int MAX_LINE = 16 * 1024;

    /** One answer; {@code status} is -1 when none came back, and {@code body} then holds the reason. */
    record Answer(int status, byte[] body, long handshakeNanos) {

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** For {@link Stats}, which reads the body of failures only, so successes are not decoded. */
        TlsReporter.Response response() {
            return new TlsReporter.Response(status, status == 200 ? "" : text(), handshakeNanos);
        }
    }

    private final TlsReporter tls;
    private final SSLSocketFactory factory;
    private final AtomicInteger connections;
    private SSLSocket socket;
    private InputStream in;
    private OutputStream out;

    /** @param connections counts the connections this client opens (shared between clients) */
    PageClient(TlsReporter tls, SSLSocketFactory factory, AtomicInteger connections) {
        this.tls = tls;
        this.factory = factory;
        this.connections = connections;
    }

    Answer get(String path, boolean json) {
        String head = "GET " + path + " HTTP/1.1\r\nHost: " + tls.authority() + "\r\nUser-Agent: debmonitor-bench\r\n"
                + "Accept: " + (json ? "application/json" : HTML_ACCEPT) + "\r\n\r\n";
        byte[] request = head.getBytes(StandardCharsets.US_ASCII);
        // A kept-alive connection may have been closed by the server while idle: retry once on a new one.
        for (int attempt = 0; ; attempt++) {
            boolean reused = socket != null;
            long handshake = 0;
            try {
                if (socket == null) {
                    handshake = open();
                }
                out.write(request);
                out.flush();
                return read(handshake);
            } catch (IOException e) {
                close();
                if (!reused || attempt > 0) {
                    String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
                    return new Answer(-1, reason.getBytes(StandardCharsets.UTF_8), handshake);
                }
            }
        }
    }

    private long open() throws IOException {
        socket = tls.connect(factory);
        connections.incrementAndGet();
        long start = System.nanoTime();
        socket.startHandshake();
        long handshake = System.nanoTime() - start;
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        out = socket.getOutputStream();
        return handshake;
    }

    private Answer read(long handshake) throws IOException {
        String statusLine = line();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP response: " + TlsReporter.abbreviate(statusLine));
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("bad status line: " + TlsReporter.abbreviate(statusLine));
        }
        long length = -1;
        boolean chunked = false;
        boolean close = parts[0].equals("HTTP/1.0");
        for (String header; !(header = line()).isEmpty(); ) {
            int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.contains("chunked");
                case "connection" -> close = value.contains("close") || (close && !value.contains("keep-alive"));
                default -> {
                }
            }
        }
        byte[] body;
        if (status == 204 || status == 304) {
            body = new byte[0];
        } else if (chunked) {
            body = chunks();
        } else if (length >= 0) {
            body = in.readNBytes((int) length);
            if (body.length < length) {
                throw new EOFException("body ended after " + body.length + " of " + length + " bytes");
            }
        } else {
            body = in.readAllBytes();
            close = true;
        }
        if (close) {
            close();
        }
        return new Answer(status, body, handshake);
    }

    private byte[] chunks() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
        while (true) {
            String sizeLine = line();
            int size;
            try {
                size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size: " + TlsReporter.abbreviate(sizeLine));
            }
            if (size == 0) {
                while (!line().isEmpty()) {
                    // trailer fields: none expected, skipped
                }
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length < size) {
                throw new EOFException("chunk ended after " + chunk.length + " of " + size + " bytes");
            }
            body.write(chunk);
            line();
        }
    }

    /** One header line without its CRLF. */
    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException(line.length() == 0 ? "connection closed" : "connection closed mid-line");
            }
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            if (line.length() >= MAX_LINE) {
                throw new IOException("header line longer than " + MAX_LINE + " bytes");
            }
            line.append((char) b);
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a broken connection: nothing to do
            }
        }
        socket = null;
        in = null;
        out = null;
    }
}
