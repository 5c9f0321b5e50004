package io.debmonitor.core.model.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * PID {@code io.debmonitor.cve.fetch}, validated (CVE.md §2.1, §2.4).
 *
 * @param urls           the URL per kind, in fetch order; a kind whose URL is empty is absent
 * @param proxy          the HTTP proxy, or null for direct connections
 * @param caFile         PEM CA certificates trusted besides the JVM's, or null
 * @param connectTimeout how long a connection (to the server or the proxy) may take
 * @param readTimeout    how long the response headers, and then each next piece of the body, may take
 */
record CveFetchSettings(boolean enabled, String schedule, Map<String, URI> urls, Proxy proxy, Path caFile, long maxBytes,
        Duration connectTimeout, Duration readTimeout) {

    static final String PID = "io.debmonitor.cve.fetch";
    /** The kinds, in fetch order: the feed first, then the side files (CVE.md §2.1). */
    static final java.util.List<String> KINDS = java.util.List.of("feed", "distributions", "dsa", "dla");

    /** An HTTP proxy, {@code http://[user:password@]host:port}. */
    record Proxy(String host, int port, String user, String password) {

        /** @return host:port, never the credentials */
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /** @throws IllegalArgumentException naming the PID and the setting, when one is invalid */
    static CveFetchSettings of(CveFetchConfiguration config) {
        Map<String, URI> urls = new LinkedHashMap<>();
        String[] values = {config.feedUrl(), config.distributionsUrl(), config.dsaListUrl(), config.dlaListUrl()};
        String[] names = {"feedUrl", "distributionsUrl", "dsaListUrl", "dlaListUrl"};
        for (int i = 0; i < values.length; i++) {
            URI url = url(names[i], values[i]);
            if (url != null) {
                urls.put(KINDS.get(i), url);
            }
        }
        if (config.maxFeedBytes() < 1) {
            throw invalid("maxFeedBytes", String.valueOf(config.maxFeedBytes()), "must be at least 1");
        }
        return new CveFetchSettings(config.enabled(), config.schedule() == null ? "" : config.schedule().trim(), urls,
                proxy(config.httpProxy()), caFile(config.caFile()), config.maxFeedBytes(), CveHttp.CONNECT_TIMEOUT, CveHttp.READ_TIMEOUT);
    }

    /** @return these settings with other timeouts (tests) */
    CveFetchSettings withTimeouts(Duration connect, Duration read) {
        return new CveFetchSettings(enabled, schedule, urls, proxy, caFile, maxBytes, connect, read);
    }

    private static URI url(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        URI url;
        try {
            url = new URI(value.trim());
        } catch (URISyntaxException e) {
            throw invalid(name, value, "is not a URL: " + e.getMessage());
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || url.getHost() == null) {
            throw invalid(name, value, "must be an http or https URL with a host");
        }
        if (url.getRawUserInfo() != null) {
            // It would end up in the snapshot's origin and the logs.
            throw invalid(name, value, "must not carry credentials");
        }
        return url;
    }

    private static Proxy proxy(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String hint = "must be http://[user:password@]host:port";
        URI url;
        try {
            url = new URI(value.trim());
        } catch (URISyntaxException e) {
            throw invalid("httpProxy", redacted(value), hint);
        }
        boolean bare = url.getRawPath() == null || url.getRawPath().isEmpty() || url.getRawPath().equals("/");
        if (!"http".equalsIgnoreCase(url.getScheme()) || url.getHost() == null || url.getPort() < 1 || !bare || url.getRawQuery() != null
                || url.getRawFragment() != null) {
            throw invalid("httpProxy", redacted(value), hint);
        }
        String user = null;
        String password = null;
        if (url.getRawUserInfo() != null) {
            String[] pair = url.getRawUserInfo().split(":", 2);
            if (pair.length != 2 || pair[0].isEmpty()) {
                throw invalid("httpProxy", redacted(value), hint + " (user and password both, percent-encoded)");
            }
            user = URLDecoder.decode(pair[0], StandardCharsets.UTF_8);
            password = URLDecoder.decode(pair[1].replace("+", "%2B"), StandardCharsets.UTF_8);
        }
        return new Proxy(url.getHost(), url.getPort(), user, password);
    }

    private static Path caFile(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Path path = Path.of(value.trim());
        if (!Files.isReadable(path)) {
            throw invalid("caFile", value, "is not a readable file");
        }
        try {
            CveHttp.certificates(path);
        } catch (IllegalArgumentException e) {
            throw invalid("caFile", value, e.getMessage());
        }
        return path;
    }

    /** The proxy setting with any password replaced, for messages. */
    private static String redacted(String value) {
        return value.replaceAll("//([^:@/]*):[^@/]*@", "//$1:***@");
    }

    private static IllegalArgumentException invalid(String name, String value, String why) {
        return new IllegalArgumentException(PID + ": " + name + " '" + value + "' " + why + ".");
    }
}
