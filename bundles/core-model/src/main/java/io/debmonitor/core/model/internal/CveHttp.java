package io.debmonitor.core.model.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Authenticator;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPInputStream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * One conditional GET of the CVE fetch (CVE.md §2.1) on the JDK's {@link HttpClient}: through the
 * configured proxy only (never one from the environment), TLS checked against the JVM's CAs plus
 * {@code caFile}, redirects followed only to https, the body streamed to a file while its sha256
 * is computed and its size held to the limit, gzip content decoded.
 * <p>
 * The JDK client has no read timeout for a body, so the subscriber notes when data last came and
 * the waiting thread aborts a body that stalls longer than the read timeout; the request's own
 * timeout covers the wait for the headers.
 * <p>
 * Proxy credentials are answered to the proxy's 407 by an {@link Authenticator}. The JDK sends
 * Basic credentials through a CONNECT tunnel (https URLs) only when the JVM system property
 * {@code jdk.http.auth.tunneling.disabledSchemes} does not list Basic, and its default
 * ({@code conf/net.properties}) does; the client reads it once per JVM, so it must be set at
 * startup (Karaf: {@code etc/system.properties}), not by this bundle. A user-set
 * {@code Proxy-Authorization} header is dropped from a CONNECT for the same reason.
 */
final class CveHttp {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(300);
    /** The JVM property that must not list Basic for Basic proxy credentials to go through a CONNECT. */
    static final String TUNNELING_PROPERTY = "jdk.http.auth.tunneling.disabledSchemes";
    /** IMF-fixdate (RFC 9110 §5.6.7), as If-Modified-Since is sent. */
    static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final int MAX_REDIRECTS = 5;
    private static final Duration LEASE_TICK = Duration.ofMinutes(1);

    /** Why a GET failed, as recorded and logged. */
    static final class FetchException extends Exception {
        private static final long serialVersionUID = 1L;
        /** The status of the response that failed it, or null when none came. */
        final Integer status;

        FetchException(Integer status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    /**
     * A GET's answer: 304, or 200 with the (decoded) body in the file.
     *
     * @param lastModified the response's Last-Modified, or null when absent or unreadable
     * @param lastModifiedHeader the header verbatim, or null
     * @param sha256 of the body in the file; null for 304
     */
    record Response(int status, Instant lastModified, String lastModifiedHeader, String sha256, long bytes) {
    }

    private final CveFetchSettings settings;
    private final HttpClient client;

    /** @throws IllegalArgumentException when {@code caFile} cannot be used */
    CveHttp(CveFetchSettings settings) {
        this.settings = settings;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1);
        CveFetchSettings.Proxy proxy = settings.proxy();
        if (proxy == null) {
            builder.proxy(HttpClient.Builder.NO_PROXY);
        } else {
            builder.proxy(ProxySelector.of(new InetSocketAddress(proxy.host(), proxy.port())));
            if (proxy.user() != null) {
                builder.authenticator(new ProxyCredentials(proxy));
            }
        }
        if (settings.caFile() != null) {
            builder.sslContext(sslContext(settings.caFile()));
        }
        this.client = builder.build();
    }

    /** Answers the proxy's challenge, and only the proxy's: a server asking for credentials gets none. */
    private static final class ProxyCredentials extends Authenticator {
        private final CveFetchSettings.Proxy proxy;

        ProxyCredentials(CveFetchSettings.Proxy proxy) {
            this.proxy = proxy;
        }

        @Override
        protected PasswordAuthentication getPasswordAuthentication() {
            if (getRequestorType() != RequestorType.PROXY) {
                return null;
            }
            return new PasswordAuthentication(proxy.user(), proxy.password().toCharArray());
        }
    }

    /**
     * @return true when the proxy has credentials that the JVM will not send through a CONNECT
     *         tunnel (Basic is listed in {@value #TUNNELING_PROPERTY}, as by default)
     */
    static boolean tunnelingCredentialsBlocked(CveFetchSettings settings) {
        if (settings.proxy() == null || settings.proxy().user() == null) {
            return false;
        }
        String disabled = System.getProperty(TUNNELING_PROPERTY);
        // Unset: the JDK's conf/net.properties applies, which lists Basic.
        return disabled == null || List.of(disabled.toLowerCase(Locale.ROOT).split("\\s*,\\s*")).contains("basic");
    }

    /**
     * GETs {@code url} into {@code file}.
     *
     * @param ifModifiedSince sent as If-Modified-Since, or null
     * @param tick            run about once a minute while a body streams (the fetch renews its lease)
     * @throws FetchException when no 200 or 304 came: a network or TLS error, another status, a
     *                        redirect to a URL other than https, a body over the limit or one that stalled
     */
    Response get(URI url, Instant ifModifiedSince, Path file, Runnable tick) throws FetchException, InterruptedException {
        URI current = url;
        for (int redirects = 0;; redirects++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(current).timeout(settings.readTimeout()).header("Accept-Encoding", "gzip")
                    .header("User-Agent", "DebMonitor (CVE feed fetch)");
            if (ifModifiedSince != null) {
                request.header("If-Modified-Since", HTTP_DATE.format(ifModifiedSince));
            }
            Path raw = file.resolveSibling(file.getFileName() + ".gz");
            BodyHandler handler = new BodyHandler(file, raw, settings.maxBytes());
            try {
                HttpResponse<String> response = await(current, client.sendAsync(request.build(), handler), handler, tick);
                int status = response.statusCode();
                if (REDIRECTS.contains(status)) {
                    current = redirect(current, response, redirects);
                    continue;
                }
                String header = response.headers().firstValue("Last-Modified").orElse(null);
                if (status == 304) {
                    return new Response(304, httpDate(header), header, null, 0);
                }
                if (status != 200) {
                    throw new FetchException(status, "HTTP " + status + " from " + current + proxyHint(status));
                }
                if (handler.gzip) {
                    long[] size = new long[1];
                    String sha256 = gunzip(raw, file, settings.maxBytes(), size);
                    return new Response(200, httpDate(header), header, sha256, size[0]);
                }
                return new Response(200, httpDate(header), header, response.body(), handler.subscriber.count);
            } finally {
                deleteQuietly(raw);
            }
        }
    }

    private URI redirect(URI from, HttpResponse<?> response, int redirects) throws FetchException {
        int status = response.statusCode();
        String location = response.headers().firstValue("Location").orElse(null);
        if (location == null) {
            throw new FetchException(status, "HTTP " + status + " from " + from + " without a Location");
        }
        URI next;
        try {
            next = from.resolve(location.trim());
        } catch (IllegalArgumentException e) {
            throw new FetchException(status, "HTTP " + status + " from " + from + " to an invalid Location: " + location);
        }
        if (!"https".equalsIgnoreCase(next.getScheme())) {
            throw new FetchException(status, from + " redirected to " + next + ", refused: only redirects to https are followed");
        }
        if (redirects >= MAX_REDIRECTS) {
            throw new FetchException(status, "more than " + MAX_REDIRECTS + " redirects from " + from);
        }
        return next;
    }

    /** Waits for the exchange, aborting a body that stalls longer than the read timeout. */
    private HttpResponse<String> await(URI url, CompletableFuture<HttpResponse<String>> exchange, BodyHandler handler, Runnable tick)
            throws FetchException, InterruptedException {
        long poll = Math.max(10, Math.min(1000, settings.readTimeout().toMillis() / 5));
        long lastTick = System.nanoTime();
        while (true) {
            try {
                return exchange.get(poll, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                BodyToFile body = handler.subscriber;
                if (body != null && body.idleNanos() > settings.readTimeout().toNanos()) {
                    body.abort();
                    exchange.cancel(true);
                    throw new FetchException(200, "no data from " + url + " for " + seconds(settings.readTimeout()) + " s after "
                            + body.count + " bytes");
                }
                if (System.nanoTime() - lastTick > LEASE_TICK.toNanos()) {
                    tick.run();
                    lastTick = System.nanoTime();
                }
            } catch (ExecutionException e) {
                throw failure(url, e.getCause(), handler);
            } catch (InterruptedException e) {
                exchange.cancel(true);
                throw e;
            }
        }
    }

    /** @return the failure said so that an operator knows where to look */
    private FetchException failure(URI url, Throwable e, BodyHandler handler) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof FetchException fetch) {
                return fetch;
            }
        }
        Integer status = handler.status;
        CveFetchSettings.Proxy proxy = settings.proxy();
        String where = proxy != null ? "the proxy " + proxy + " (for " + url + ")" : url.getHost() + ":" + port(url);
        String detail = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof HttpConnectTimeoutException) {
            return new FetchException(null, "no connection to " + where + " within " + seconds(settings.connectTimeout()) + " s");
        }
        if (e instanceof HttpTimeoutException) {
            return new FetchException(null, "no response from " + url + " within " + seconds(settings.readTimeout()) + " s");
        }
        if (e instanceof ConnectException) {
            return new FetchException(null, "cannot connect to " + where + ": " + detail);
        }
        if (e instanceof SSLException) {
            return new FetchException(null, "TLS with " + url.getHost() + " failed: " + detail
                    + (settings.caFile() == null ? " (caFile adds the CA of an intercepting proxy)" : ""));
        }
        if (proxy != null && detail.startsWith("too many authentication attempts")) {
            // How the JDK gives up when the proxy keeps answering 407 to the credentials.
            return new FetchException(407, "the proxy " + proxy + " refused the credentials of httpProxy (407)");
        }
        if (status != null) {
            return new FetchException(status, "the body from " + url + " broke off after " + (handler.subscriber == null ? 0
                    : handler.subscriber.count) + " bytes: " + detail);
        }
        return new FetchException(null, "GET " + url + " failed: " + detail);
    }

    /** The hint for a 407: what to set so that the credentials go out. */
    private String proxyHint(int status) {
        if (status != 407) {
            return "";
        }
        if (settings.proxy() == null || settings.proxy().user() == null) {
            return " (set the proxy's user and password in httpProxy)";
        }
        if (tunnelingCredentialsBlocked(settings)) {
            return " (the JVM sends no Basic credentials through a CONNECT tunnel unless the system property " + TUNNELING_PROPERTY
                    + " is set to empty at startup, e.g. in etc/system.properties)";
        }
        return " (check httpProxy's user and password)";
    }

    /** e.g. {@code 300}, {@code 0.5} */
    private static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? String.valueOf(millis / 1000) : String.valueOf(millis / 1000.0);
    }

    private static int port(URI url) {
        return url.getPort() > 0 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    }

    /** Picks where a body goes once the status and headers are known. */
    private static final class BodyHandler implements HttpResponse.BodyHandler<String> {
        private final Path file;
        private final Path raw;
        private final long max;
        volatile BodyToFile subscriber;
        volatile Integer status;
        volatile boolean gzip;

        BodyHandler(Path file, Path raw, long max) {
            this.file = file;
            this.raw = raw;
            this.max = max;
        }

        @Override
        public HttpResponse.BodySubscriber<String> apply(HttpResponse.ResponseInfo info) {
            status = info.statusCode();
            HttpHeaders headers = info.headers();
            long declared = headers.firstValueAsLong("Content-Length").orElse(-1);
            String encoding = headers.firstValue("Content-Encoding").orElse("identity").trim().toLowerCase(Locale.ROOT);
            Path target = null;
            if (info.statusCode() == 200) {
                gzip = encoding.equals("gzip") || encoding.equals("x-gzip");
                if (!gzip && !encoding.equals("identity")) {
                    BodyToFile refused = new BodyToFile(null, max, -1);
                    refused.refuse(new FetchException(200, "unsupported Content-Encoding " + encoding));
                    subscriber = refused;
                    return refused;
                }
                target = gzip ? raw : file;
            }
            // Other statuses: the body (an error page, a redirect's) is read and dropped, under the same limits.
            subscriber = new BodyToFile(target, max, declared);
            return subscriber;
        }
    }

    /** Writes the body to a file (or drops it) while counting it and computing its sha256. */
    private static final class BodyToFile implements HttpResponse.BodySubscriber<String> {
        private final CompletableFuture<String> result = new CompletableFuture<>();
        private final Path target;
        private final long max;
        private final long declared;
        private final MessageDigest digest = sha256();
        private FileChannel channel;
        private volatile Flow.Subscription subscription;
        private volatile long lastData = System.nanoTime();
        private volatile FetchException refusal;
        volatile long count;

        BodyToFile(Path target, long max, long declared) {
            this.target = target;
            this.max = max;
            this.declared = declared;
        }

        void refuse(FetchException why) {
            refusal = why;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (refusal == null && declared > max) {
                refusal = new FetchException(200, "the body is " + declared + " bytes, larger than maxFeedBytes (" + max + ")");
            }
            if (refusal != null) {
                s.cancel();
                result.completeExceptionally(refusal);
                return;
            }
            try {
                if (target != null) {
                    channel = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING);
                }
            } catch (IOException e) {
                fail(e);
                return;
            }
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (result.isDone()) {
                return;
            }
            try {
                for (ByteBuffer buffer : buffers) {
                    count += buffer.remaining();
                    if (count > max) {
                        fail(new FetchException(200, "the body is larger than maxFeedBytes (" + max + " bytes)"));
                        return;
                    }
                    if (channel != null) {
                        digest.update(buffer.duplicate());
                        while (buffer.hasRemaining()) {
                            channel.write(buffer);
                        }
                    }
                }
            } catch (IOException e) {
                fail(e);
                return;
            }
            lastData = System.nanoTime();
            subscription.request(1);
        }

        @Override
        public void onError(Throwable throwable) {
            close();
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            try {
                if (channel != null) {
                    channel.force(false);
                }
            } catch (IOException e) {
                onError(e);
                return;
            }
            close();
            result.complete(HexFormat.of().formatHex(digest.digest()));
        }

        @Override
        public CompletionStage<String> getBody() {
            return result;
        }

        long idleNanos() {
            return System.nanoTime() - lastData;
        }

        void abort() {
            fail(new FetchException(200, "the body stalled"));
        }

        private void fail(Throwable e) {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
            close();
            result.completeExceptionally(e);
        }

        private void close() {
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException e) {
                // The file is deleted by the caller either way.
            }
        }
    }

    /** Decodes a gzip body, computing the sha256 of what it holds, held to the limit. */
    private static String gunzip(Path raw, Path file, long max, long[] size) throws FetchException {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[65536];
        long total = 0;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(raw), 65536); OutputStream out = Files.newOutputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0;) {
                total += n;
                if (total > max) {
                    throw new FetchException(200, "the body is larger than maxFeedBytes (" + max + " bytes) once decompressed");
                }
                digest.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new FetchException(200, "the gzip-encoded body cannot be decoded: " + e.getMessage());
        }
        size[0] = total;
        return HexFormat.of().formatHex(digest.digest());
    }

    /** @return the instant of an HTTP-date, or null when absent or in an obsolete format */
    static Instant httpDate(String value) {
        if (value == null) {
            return null;
        }
        try {
            return DateTimeFormatter.RFC_1123_DATE_TIME.parse(value.trim(), Instant::from);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** @return the certificates of a PEM (or DER) file */
    static Collection<? extends Certificate> certificates(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("holds no certificate");
            }
            return certificates;
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException("cannot be read as PEM certificates: " + e.getMessage());
        }
    }

    /**
     * @return a TLS context trusting the JVM's CAs plus those of {@code caFile}
     * @throws IllegalArgumentException when the file cannot be used
     */
    static SSLContext sslContext(Path caFile) {
        try {
            TrustManagerFactory jvm = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            jvm.init((KeyStore) null);
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            List<Certificate> all = new ArrayList<>();
            for (TrustManager manager : jvm.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    all.addAll(List.of(x509.getAcceptedIssuers()));
                }
            }
            all.addAll(certificates(caFile));
            for (int i = 0; i < all.size(); i++) {
                trusted.setCertificateEntry("ca-" + i, (X509Certificate) all.get(i));
            }
            TrustManagerFactory merged = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            merged.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, merged.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException(CveFetchSettings.PID + ": caFile " + caFile + " cannot be used: " + e.getMessage());
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM has SHA-256", e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A temporary file; the next fetch uses another name.
        }
    }
}
