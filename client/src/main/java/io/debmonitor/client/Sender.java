package io.debmonitor.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLException;

/**
 * POSTs a report to every server, concurrently and independently, with the retry rules of SPEC §7.5:
 * up to {@code retries} retries on connect errors, timeouts and 429/500/502/503/504; the first retry
 * is immediate, later ones wait {@code backoff × 2^(n−1)} s, and {@code Retry-After} wins; waits are
 * capped at 120 s. Only 201 is success. The image reporter shares these rules through the public
 * static helpers.
 */
public final class Sender {

    public static final long MAX_WAIT_SECONDS = 120;

    /** Waits between attempts; replaced in tests so they never sleep. */
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private final HttpClient client;
    private final int port;
    private final int retries;
    private final int retryBackoff;
    private final Duration attemptTimeout;
    private final String userAgent;
    private final Sleeper sleeper;
    private final Deadline deadline;

    Sender(HttpClient client, int port, int retries, int retryBackoff, int readTimeout, String userAgent,
           Sleeper sleeper) {
        this(client, port, retries, retryBackoff, readTimeout, userAgent, sleeper, null);
    }

    /** @param deadline the hook-mode deadline, or null: a retry that would start after it is not waited for */
    Sender(HttpClient client, int port, int retries, int retryBackoff, int readTimeout, String userAgent,
           Sleeper sleeper, Deadline deadline) {
        this.deadline = deadline;
        this.client = client;
        this.port = port;
        this.retries = retries;
        this.retryBackoff = retryBackoff;
        // The request timeout also covers connecting, so the response gets all of read_timeout.
        this.attemptTimeout = Duration.ofSeconds(readTimeout).plus(Transport.CONNECT_TIMEOUT);
        this.userAgent = userAgent;
        this.sleeper = sleeper;
    }

    /**
     * Sends {@code body} to {@code path} on every server; returns true when all answered 201. Each
     * server is removed from {@code pending} once it is done, whatever the outcome.
     */
    boolean sendAll(List<String> servers, String path, byte[] body, String updateType, Set<String> pending) {
        List<CompletableFuture<Boolean>> results = new ArrayList<>(servers.size());
        for (String server : servers) {
            CompletableFuture<Boolean> result = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                boolean ok = false;
                try {
                    ok = send(server, path, body, updateType);
                } catch (RuntimeException e) {
                    Log.error("Failed to send the " + updateType + " update to " + server + ": " + e);
                    Log.debugTrace(e);
                } finally {
                    pending.remove(server);
                    result.complete(ok);
                }
            }, "send-" + server);
            t.setDaemon(true);
            t.start();
            results.add(result);
        }
        boolean all = true;
        for (CompletableFuture<Boolean> r : results) {
            all &= r.join();
        }
        return all;
    }

    /** Sends to one server with retries; logs the outcome. */
    boolean send(String server, String path, byte[] body, String updateType) {
        String failure = "Failed to send the " + updateType + " update to " + server + ": ";
        URI uri;
        try {
            uri = new URI("https", null, server, port, path, null, null);
        } catch (URISyntaxException e) {
            Log.error(failure + "invalid URL: " + e.getMessage());
            return false;
        }
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(attemptTimeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", userAgent)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        String lastError = null;
        long retryAfter = -1;
        for (int attempt = 0; attempt <= retries; attempt++) {
            if (attempt > 0) {
                long wait = waitMillis(attempt, retryAfter, retryBackoff);
                if (deadline != null && wait >= deadline.remainingMillis()) {
                    // Waiting could only end in the deadline; give apt its time back now.
                    Log.error(failure + lastError + "; the next retry would come after the deadline of "
                            + deadline.seconds() + " s");
                    return false;
                }
                Log.info("Retrying " + server + " (" + attempt + "/" + retries + ")"
                        + (wait > 0 ? " in " + wait / 1000 + " s" : "") + " after: " + lastError);
                try {
                    if (wait > 0) {
                        sleeper.sleep(wait);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    Log.error(failure + "interrupted");
                    return false;
                }
            }
            retryAfter = -1;
            Log.debug("POST " + uri + " (attempt " + (attempt + 1) + ")");
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status == 201) {
                    Log.info("Sent the " + updateType + " update to " + server);
                    return true;
                }
                lastError = "HTTP " + status + errorMessage(response.body());
                if (!retryable(status)) {
                    Log.error(failure + lastError);
                    return false;
                }
                retryAfter = retryAfterSeconds(response.headers().firstValue("Retry-After").orElse(null));
            } catch (IOException e) {
                lastError = describe(e);
                if (isTls(e)) {
                    Log.error(failure + lastError);
                    Log.debugTrace(e);
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                Log.error(failure + "interrupted");
                return false;
            }
        }
        Log.error(failure + lastError + (retries > 0 ? " (after " + retries + " retries)" : ""));
        return false;
    }

    public static boolean retryable(int status) {
        return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
    }

    /** The wait before retry number {@code retry} (1-based), in milliseconds. */
    static long waitMillis(int retry, long retryAfterSeconds, int backoff) {
        long seconds;
        if (retryAfterSeconds >= 0) {
            seconds = retryAfterSeconds;
        } else if (retry <= 1) {
            seconds = 0;
        } else {
            seconds = retry >= 10 ? MAX_WAIT_SECONDS : (long) backoff << (retry - 1);
        }
        return Math.min(seconds, MAX_WAIT_SECONDS) * 1000;
    }

    /** Parses a Retry-After header given in seconds; -1 if absent or not a number. */
    public static long retryAfterSeconds(String header) {
        if (header == null) {
            return -1;
        }
        try {
            long s = Long.parseLong(header.strip());
            return s < 0 ? -1 : Math.min(s, MAX_WAIT_SECONDS);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** ": message" from a {"error": "..."} body, else a short excerpt of the body. */
    @SuppressWarnings("unchecked")
    public static String errorMessage(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            Object parsed = Json.parse(body);
            if (parsed instanceof Map && ((Map<String, Object>) parsed).get("error") instanceof String message) {
                return ": " + Log.oneLine(message);
            }
        } catch (Json.JsonException e) {
            // not JSON: quote the start of the body
        }
        String text = Log.oneLine(body.strip());
        return ": " + (text.length() > 200 ? text.substring(0, 200) + "..." : text);
    }

    /** True when {@code e} or a cause is a TLS failure, which a retry does not mend. */
    public static boolean isTls(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return true;
            }
        }
        return false;
    }

    /** A short reason for a failed exchange of the JDK HTTP client. */
    public static String describe(IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "connect timed out";
        }
        if (e instanceof HttpTimeoutException) {
            return "no response in time";
        }
        if (e instanceof ConnectException) {
            // The JDK client gives no message here; the cause tells a DNS failure from a refusal.
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof java.nio.channels.UnresolvedAddressException) {
                    return "cannot resolve the server name";
                }
                if (t.getMessage() != null) {
                    return "cannot connect: " + t.getMessage();
                }
            }
            return "cannot connect (connection refused or host unreachable)";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getMessage() == null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() != null ? ": " + root.getMessage() : "");
    }

    /** The User-Agent header value. */
    static String userAgent(String version) {
        return "debmonitor-client/" + version;
    }
}
