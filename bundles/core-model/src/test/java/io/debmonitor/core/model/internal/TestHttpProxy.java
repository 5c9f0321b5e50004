package io.debmonitor.core.model.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A forwarding HTTP proxy on the loopback interface, for the fetch's {@code httpProxy}: absolute-URI
 * requests (http URLs) are forwarded, CONNECT (https URLs) opens a tunnel. With credentials it
 * answers 407 to a request without them. It records each request line and credential it got.
 */
final class TestHttpProxy implements AutoCloseable {

    /** The request lines received, e.g. {@code GET http://127.0.0.1:4711/json HTTP/1.1} or {@code CONNECT 127.0.0.1:4712 HTTP/1.1}. */
    final List<String> requests = new CopyOnWriteArrayList<>();
    /** The Proxy-Authorization headers received. */
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final String expected;
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "test-proxy");
        thread.setDaemon(true);
        return thread;
    });

    /** @param credentials {@code user:password} the proxy asks for, or null */
    TestHttpProxy(String credentials) throws IOException {
        this.expected = credentials == null ? null : "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.submit(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                threads.submit(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            while (true) {
                String requestLine = line(in);
                if (requestLine == null || requestLine.isEmpty()) {
                    return;
                }
                List<String> headers = new ArrayList<>();
                for (String header; !(header = line(in)).isEmpty();) {
                    headers.add(header);
                }
                requests.add(requestLine);
                String authorization = header(headers, "Proxy-Authorization");
                if (authorization != null) {
                    authorizations.add(authorization);
                }
                if (expected != null && !expected.equals(authorization)) {
                    write(out, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n"
                            + "Content-Length: 0\r\n\r\n");
                    continue;
                }
                String[] parts = requestLine.split(" ");
                if (parts[0].equals("CONNECT")) {
                    int colon = parts[1].lastIndexOf(':');
                    try (Socket upstream = new Socket(parts[1].substring(0, colon), Integer.parseInt(parts[1].substring(colon + 1)))) {
                        write(out, "HTTP/1.1 200 Connection established\r\n\r\n");
                        var up = threads.submit(() -> copy(in, upstream.getOutputStream(), upstream));
                        copy(upstream.getInputStream(), out, client);
                        up.get();
                    }
                    return;
                }
                URI target = URI.create(parts[1]);
                try (Socket upstream = new Socket(target.getHost(), target.getPort())) {
                    StringBuilder request = new StringBuilder(parts[0] + " " + target.getRawPath()
                            + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery()) + " " + parts[2] + "\r\n");
                    for (String header : headers) {
                        String name = header.substring(0, header.indexOf(':')).toLowerCase(Locale.ROOT);
                        if (!name.startsWith("proxy-") && !name.equals("connection")) {
                            request.append(header).append("\r\n");
                        }
                    }
                    request.append("Connection: close\r\n\r\n");
                    write(upstream.getOutputStream(), request.toString());
                    upstream.getInputStream().transferTo(out);
                }
                return;
            }
        } catch (Exception e) {
            // The client or the upstream went away: so does this connection.
        }
    }

    private static Object copy(InputStream in, OutputStream out, Socket to) throws IOException {
        try {
            in.transferTo(out);
        } finally {
            if (!to.isClosed()) {
                to.shutdownOutput();
            }
        }
        return null;
    }

    private static String header(List<String> headers, String name) {
        for (String header : headers) {
            int colon = header.indexOf(':');
            if (header.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return header.substring(colon + 1).trim();
            }
        }
        return null;
    }

    /** @return the next CRLF-terminated line, or null at the end of the stream */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0;) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return null;
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
