package io.debmonitor.bench.lab;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

import io.debmonitor.bench.HostTls;
import io.debmonitor.bench.LabFleet;

/**
 * One HTTP/1.1 request per new TLS connection ({@code Connection: close}), as a host's client does,
 * so that an edge balancer places every request anew. Each request gets a fresh {@link SSLContext}:
 * a resumed session would keep the client certificate of whichever host opened it. The Host
 * header is the URL's authority; SNI is sent for a DNS name and, as TLS requires, not for an IP
 * address.
 */
final class LabHttp {

    static final int CONNECT_TIMEOUT_MILLIS = 3000;

    /** An answer; header names are case-insensitive, and a header sent several times keeps every value. */
    record Answer(int status, Map<String, List<String>> headers, String body) {

        String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        List<String> headers(String name) {
            return headers.getOrDefault(name, List.of());
        }
    }

    private final String host;
    private final int port;
    private final String authority;
    private final int readTimeoutMillis;
    private final TrustManager trust;
    private final boolean verify;

    /** @param serverCa the CA to verify the server against (chain and name), or null to trust any server certificate */
    LabHttp(URI server, Path serverCa, int readTimeoutSeconds) throws IOException, GeneralSecurityException {
        if (!"https".equals(server.getScheme()) || server.getHost() == null) {
            throw new IllegalArgumentException("the server must be an https:// URL, got " + server);
        }
        host = server.getHost().startsWith("[") ? server.getHost().substring(1, server.getHost().length() - 1) : server.getHost();
        port = server.getPort() < 0 ? 443 : server.getPort();
        authority = server.getRawAuthority();
        readTimeoutMillis = readTimeoutSeconds * 1000;
        verify = serverCa != null;
        trust = verify ? HostTls.trustOnly(serverCa) : HostTls.trustAnything();
    }

    /**
     * @param key     the client certificate to present, or null for none
     * @param headers extra header lines, e.g. {@code "Cookie: a=b"}
     * @param body    the request body, or null
     */
    Answer send(KeyManager key, String method, String path, List<String> headers, byte[] body)
            throws IOException, GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(key == null ? new KeyManager[0] : new KeyManager[] {key}, new TrustManager[] {trust}, null);
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(authority)
                .append("\r\nUser-Agent: debmonitor-lab\r\nConnection: close\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            if (verify) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(parameters);
            }
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
            socket.setSoTimeout(readTimeoutMillis);
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return parse(socket.getInputStream().readAllBytes());
        }
    }

    /** A response read to the end of the connection; a response cut short is an IOException, never a success. */
    static Answer parse(byte[] raw) throws IOException {
        int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
        if (end < 0) {
            throw new EOFException("the response ended within its head, after " + raw.length + " bytes");
        }
        String[] lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        int status;
        try {
            status = statusLine.length >= 2 && statusLine[0].startsWith("HTTP/") ? Integer.parseInt(statusLine[1]) : -1;
        } catch (NumberFormatException e) {
            status = -1;
        }
        if (status < 100) {
            throw new IOException("not an HTTP status line: " + lines[0]);
        }
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(lines[i].substring(0, colon).strip(), n -> new ArrayList<>()).add(lines[i].substring(colon + 1).strip());
            }
        }
        byte[] body = Arrays.copyOfRange(raw, end + 4, raw.length);
        String encoding = headers.containsKey("Transfer-Encoding") ? headers.get("Transfer-Encoding").get(0) : "";
        String length = headers.containsKey("Content-Length") ? headers.get("Content-Length").get(0) : null;
        if (encoding.toLowerCase(java.util.Locale.ROOT).contains("chunked")) {
            body = dechunk(body);
        } else if (length != null) {
            int n;
            try {
                n = Integer.parseInt(length.strip());
            } catch (NumberFormatException e) {
                throw new IOException("bad Content-Length: " + length);
            }
            if (body.length < n) {
                throw new EOFException("the body ended after " + body.length + " of " + n + " bytes");
            }
            body = Arrays.copyOf(body, n);
        }
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(byte[] chunked) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(chunked.length);
        byte[] crlf = {'\r', '\n'};
        int pos = 0;
        while (true) {
            int lineEnd = indexOf(chunked, crlf, pos);
            if (lineEnd < 0) {
                throw new EOFException("the chunked body ended without its last chunk");
            }
            int size;
            try {
                size = Integer.parseInt(new String(chunked, pos, lineEnd - pos, StandardCharsets.US_ASCII).split(";")[0].strip(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size in the response");
            }
            if (size == 0) {
                return out.toByteArray();
            }
            int start = lineEnd + 2;
            if (start + size > chunked.length) {
                throw new EOFException("a chunk of the body was cut short");
            }
            out.write(chunked, start, size);
            pos = start + size + 2;
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Presents one host's certificate, whatever the server asks for. */
    static KeyManager clientKey(LabFleet.Pki pki, String fqdn) {
        return HostTls.hostKey(fqdn, pki.certificates().get(fqdn), pki.clientKey());
    }
}
