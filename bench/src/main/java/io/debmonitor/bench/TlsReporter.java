package io.debmonitor.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * Sends one HTTP/1.1 request per new TLS connection, authenticated with the certificate of the
 * host it speaks for, as a real host does: a fresh process, a full handshake, "Connection: close".
 *
 * <p>Each connection gets its own {@link SSLContext}, as a fresh client process would. A shared
 * context would resume cached TLS sessions, and a resumed session keeps the client certificate of
 * whichever host created it: the server would then see the wrong identity (and skip the full
 * handshake the benchmark means to measure). A context costs tens of microseconds.
 */
final class TlsReporter {

    /** The outcome of one request; {@code status} is -1 when no HTTP answer came back. */
    record Response(int status, String body, long handshakeNanos) {
    }

    private final String host;
    private final int port;
    private final String authority;
    private final int timeoutMillis;
    private final boolean verifyServer;
    private final Certificates certificates;
    private final TrustManager trustManager;

    TlsReporter(Options options, Certificates certificates) throws GeneralSecurityException, java.io.IOException {
        this.host = options.host();
        this.port = options.port();
        this.authority = options.server.getRawAuthority();
        this.timeoutMillis = options.timeoutSeconds * 1000;
        this.verifyServer = options.serverCa != null;
        this.certificates = certificates;
        this.trustManager = verifyServer ? HostTls.trustOnly(options.serverCa) : HostTls.trustAnything();
    }

    Response post(String fqdn, String path, byte[] body) {
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + authority + "\r\nUser-Agent: debmonitor-bench\r\n"
                + "Content-Type: application/json\r\nAccept: application/json\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n";
        return exchange(fqdn, head, body);
    }

    Response get(String fqdn, String path) {
        String head = "GET " + path + " HTTP/1.1\r\nHost: " + authority + "\r\nUser-Agent: debmonitor-bench\r\n"
                + "Connection: close\r\n\r\n";
        return exchange(fqdn, head, new byte[0]);
    }

    private Response exchange(String fqdn, String head, byte[] body) {
        long handshake = 0;
        SSLSocketFactory factory;
        try {
            factory = context(fqdn).getSocketFactory();
        } catch (GeneralSecurityException e) {
            return new Response(-1, "TLS setup failed: " + e, 0);
        }
        try (SSLSocket socket = connect(factory)) {
            long start = System.nanoTime();
            socket.startHandshake();
            handshake = System.nanoTime() - start;
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            return parse(readAll(socket.getInputStream()), handshake);
        } catch (IOException e) {
            return new Response(-1, e.getClass().getSimpleName() + ": " + e.getMessage(), handshake);
        }
    }

    /** A new TLS context that presents the certificate of {@code fqdn}. */
    SSLContext context(String fqdn) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new KeyManager[] {HostTls.hostKey(fqdn, certificates.certificate(fqdn), certificates.clientKey)}, new TrustManager[] {trustManager}, null);
        return context;
    }

    /** A socket connected to the server, with the timeouts set; the handshake is left to the caller. */
    SSLSocket connect(SSLSocketFactory factory) throws IOException {
        SSLSocket socket = (SSLSocket) factory.createSocket();
        try {
            if (verifyServer) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(parameters);
            }
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            socket.setTcpNoDelay(true);
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    String authority() {
        return authority;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static Response parse(byte[] raw, long handshake) {
        String text = new String(raw, StandardCharsets.UTF_8);
        int lineEnd = text.indexOf("\r\n");
        String statusLine = lineEnd < 0 ? text : text.substring(0, lineEnd);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            return new Response(-1, "not an HTTP response: " + abbreviate(statusLine), handshake);
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            return new Response(-1, "bad status line: " + abbreviate(statusLine), handshake);
        }
        int headEnd = text.indexOf("\r\n\r\n");
        String headers = headEnd < 0 ? text : text.substring(0, headEnd);
        String body = headEnd < 0 ? "" : text.substring(headEnd + 4);
        if (headers.toLowerCase(java.util.Locale.ROOT).contains("\r\ntransfer-encoding: chunked")) {
            body = dechunk(body);
        }
        return new Response(status, body, handshake);
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int pos = 0;
        while (pos < chunked.length()) {
            int lineEnd = chunked.indexOf("\r\n", pos);
            if (lineEnd < 0) {
                break;
            }
            int size;
            try {
                size = Integer.parseInt(chunked.substring(pos, lineEnd).split(";")[0].trim(), 16);
            } catch (NumberFormatException e) {
                break;
            }
            if (size == 0) {
                break;
            }
            int start = lineEnd + 2;
            out.append(chunked, start, Math.min(chunked.length(), start + size));
            pos = start + size + 2;
        }
        return out.toString();
    }

    static String abbreviate(String s) {
        String oneLine = s.replace("\r", "\\r").replace("\n", "\\n");
        return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "...";
    }
}
