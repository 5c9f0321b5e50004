package io.debmonitor.imagereporter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.debmonitor.client.Sender;
import java.io.IOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * The DebMonitor server, over mutual TLS: the image lookup, image reports and kubernetes snapshots.
 * Posts are retried on connection errors, timeouts and HTTP 429/500/502/503/504 (the host client's rules, from
 * {@link Sender}), with the waits of {@link Retry}. Only 201 (and 202 for a kubernetes snapshot) is success.
 */
final class DebMonitor {

    private static final int NAMES_IN_WARNING = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the server holds about an image; {@code digest} is null when the server has none. */
    record StoredImage(String digest, Instant modified) {
    }

    private final URI server;
    private final HttpClient http;
    private final Duration timeout;
    private final int retries;
    private final Sender.Sleeper sleeper;
    private final String userAgent;

    DebMonitor(URI server, HttpClient http, Duration timeout, int retries, Sender.Sleeper sleeper) {
        this.server = server;
        this.http = http;
        this.timeout = timeout;
        this.retries = retries;
        this.sleeper = sleeper;
        String version = DebMonitor.class.getPackage().getImplementationVersion();
        this.userAgent = "debmonitor-image-reporter/" + (version != null ? version : "dev");
    }

    static HttpClient httpClient(SSLContext ssl, Duration timeout) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(ProxySelector.getDefault())
                .sslContext(ssl)
                .build();
    }

    /** The stored image, or null when the server does not know it or the lookup failed (logged). */
    StoredImage lookup(String name) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server + "/images/" + name))
                .timeout(timeout)
                .header("Accept", "application/json")
                .header("User-Agent", userAgent)
                .GET()
                .build();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 404) {
                return null;
            }
            if (r.statusCode() != 200) {
                Log.warning("cannot look up " + name + " on DebMonitor (HTTP " + r.statusCode() + Sender.errorMessage(r.body())
                        + "); reporting it");
                return null;
            }
            JsonNode doc = JSON.readTree(r.body());
            String digest = doc.path("digest").asText("");
            return new StoredImage(digest.isEmpty() ? null : digest, Instant.parse(doc.path("modified").asText()));
        } catch (IOException | DateTimeParseException e) {
            Log.warning("cannot look up " + name + " on DebMonitor (" + Log.reason(e) + "); reporting it");
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Posts an image report; true on 201. */
    boolean postImage(String name, byte[] body) {
        return post("/images/" + name + "/update", body, Set.of(201), "the report of " + name) != null;
    }

    /** Posts a kubernetes snapshot; true on 201 or 202 (what the server could not apply is logged). */
    boolean postKubernetes(String cluster, byte[] body) {
        HttpResponse<String> r = post("/kubernetes/update", body, Set.of(201, 202), "the snapshot of cluster " + cluster);
        if (r == null) {
            return false;
        }
        if (r.statusCode() == 202) {
            Log.warning("DebMonitor applied the snapshot of cluster " + cluster + " in part: "
                    + partialSummary(r.body()));
        } else {
            Log.info("Sent the snapshot of cluster " + cluster);
        }
        return true;
    }

    /** "2 missing (a, b), 1 error (c in ns: message)" from a 202 answer. */
    static String partialSummary(String body) {
        JsonNode doc;
        try {
            doc = JSON.readTree(body);
        } catch (IOException e) {
            return "unreadable answer";
        }
        List<String> missing = new ArrayList<>();
        doc.path("missing").forEach(m -> missing.add(m.asText()));
        List<String> errors = new ArrayList<>();
        doc.path("errors").forEach(e -> errors.add(e.path("image").asText() + " in " + e.path("namespace").asText()
                + ": " + e.path("error").asText()));
        return missing.size() + " missing image" + (missing.size() == 1 ? "" : "s") + firstFew(missing) + ", "
                + errors.size() + " error" + (errors.size() == 1 ? "" : "s") + firstFew(errors);
    }

    private static String firstFew(List<String> items) {
        if (items.isEmpty()) {
            return "";
        }
        List<String> shown = items.subList(0, Math.min(NAMES_IN_WARNING, items.size()));
        return " (" + String.join(", ", shown) + (items.size() > shown.size() ? ", ..." : "") + ")";
    }

    /** The response with one of the {@code success} statuses, or null after logging the failure. */
    private HttpResponse<String> post(String path, byte[] body, Set<Integer> success, String what) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server + path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", userAgent)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        String failure = "cannot send " + what + ": ";
        try {
            String lastError = null;
            long retryAfter = -1;
            for (int attempt = 0; attempt <= retries; attempt++) {
                if (attempt > 0) {
                    long wait = Retry.waitMillis(attempt, retryAfter);
                    Log.info("retrying " + what + " (" + attempt + "/" + retries + ") in " + wait / 1000
                            + " s after: " + lastError);
                    sleeper.sleep(wait);
                }
                retryAfter = -1;
                try {
                    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                    if (success.contains(r.statusCode())) {
                        return r;
                    }
                    lastError = "HTTP " + r.statusCode() + Sender.errorMessage(r.body());
                    if (!Sender.retryable(r.statusCode())) {
                        Log.error(failure + lastError);
                        return null;
                    }
                    retryAfter = Sender.retryAfterSeconds(r.headers().firstValue("Retry-After").orElse(null));
                } catch (IOException e) {
                    lastError = Log.reason(e);
                    if (Sender.isTls(e)) {
                        Log.error(failure + lastError);
                        Log.trace(e);
                        return null;
                    }
                }
            }
            Log.error(failure + lastError + (retries > 0 ? " (after " + retries + " retries)" : ""));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Log.error(failure + "interrupted");
        }
        return null;
    }
}
