package io.debmonitor.bench.lab;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts the attempts and reports of a run, and sums them up. Invariant I5: every answer is a 201,
 * or a 503 that carries {@code Retry-After}; connection errors (a node or the edge going away) are
 * allowed, since the client retries them. Thread-safe.
 */
final class Tally {

    /** How an attempt ended; the ones not {@code allowed} fail the run. */
    enum Kind {
        CREATED("201", true),
        RETRY_LATER("503_with_retry_after", true),
        UNAVAILABLE_WITHOUT_RETRY_AFTER("503_without_retry_after", false),
        CLIENT_ERROR("4xx", false),
        SERVER_ERROR("5xx_other_than_503", false),
        CONNECTION_ERROR("connection_error", true),
        OTHER("other_status", false);

        final String label;
        final boolean allowed;

        Kind(String label, boolean allowed) {
            this.label = label;
            this.allowed = allowed;
        }
    }

    /** @param status the HTTP status, or -1 when no answer came (connection error or timeout) */
    static Kind classify(int status, boolean retryAfter) {
        if (status < 0) {
            return Kind.CONNECTION_ERROR;
        }
        if (status == 201) {
            return Kind.CREATED;
        }
        if (status == 503) {
            return retryAfter ? Kind.RETRY_LATER : Kind.UNAVAILABLE_WITHOUT_RETRY_AFTER;
        }
        return status >= 400 && status < 500 ? Kind.CLIENT_ERROR : status >= 500 ? Kind.SERVER_ERROR : Kind.OTHER;
    }

    private final long startMillis;
    private final Map<Kind, Long> kinds = new EnumMap<>(Kind.class);
    /** Per status code or exception class, e.g. "503" or "ConnectException". */
    private final Map<String, Long> statuses = new TreeMap<>();
    private final Map<Integer, Long> retriesPerReport = new TreeMap<>();
    private final List<Long> successes = new ArrayList<>();
    private long requests;
    private long acknowledged;
    private long failed;
    private long maxLatency;
    private String maxLatencyAt = "";

    /** @param startMillis the run's start, in {@link System#currentTimeMillis()} terms */
    Tally(long startMillis) {
        this.startMillis = startMillis;
    }

    synchronized Kind attempt(int status, boolean retryAfter, String exception, long latencyMillis, String what) {
        Kind kind = classify(status, retryAfter);
        requests++;
        kinds.merge(kind, 1L, Long::sum);
        statuses.merge(status < 0 ? exception : String.valueOf(status), 1L, Long::sum);
        if (latencyMillis > maxLatency) {
            maxLatency = latencyMillis;
            maxLatencyAt = what;
        }
        return kind;
    }

    /** A report's final outcome; {@code atMillis} is when its last answer came. */
    synchronized void report(boolean ok, int retries, long atMillis) {
        if (ok) {
            acknowledged++;
            successes.add(atMillis);
        } else {
            failed++;
        }
        retriesPerReport.merge(retries, 1L, Long::sum);
    }

    synchronized long reports() {
        return acknowledged + failed;
    }

    synchronized boolean passed() {
        return kinds.keySet().stream().allMatch(k -> k.allowed);
    }

    synchronized String progress() {
        StringBuilder out = new StringBuilder();
        out.append(acknowledged).append(" acknowledged, ").append(failed).append(" failed; requests ").append(requests);
        kinds.forEach((k, n) -> out.append(' ').append(k.label).append('=').append(n));
        return out.toString();
    }

    synchronized Map<String, Object> summary(long endMillis) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("seconds", (endMillis - startMillis) / 1000.0);
        out.put("requests", requests);
        Map<String, Object> byKind = new LinkedHashMap<>();
        for (Kind k : Kind.values()) {
            byKind.put(k.label, kinds.getOrDefault(k, 0L));
        }
        out.put("by_kind", byKind);
        out.put("by_status", new LinkedHashMap<>(statuses));
        out.put("reports_acknowledged", acknowledged);
        out.put("reports_failed_after_retries", failed);
        out.put("max_latency_ms", maxLatency);
        out.put("max_latency_at", maxLatencyAt);
        long retries = 0;
        int most = 0;
        Map<String, Object> histogram = new LinkedHashMap<>();
        for (Map.Entry<Integer, Long> e : retriesPerReport.entrySet()) {
            retries += e.getKey() * e.getValue();
            most = Math.max(most, e.getKey());
            histogram.put(String.valueOf(e.getKey()), e.getValue());
        }
        out.put("retries_per_report_mean", reports() == 0 ? 0.0 : (double) retries / reports());
        out.put("retries_per_report_max", most);
        out.put("retries_per_report", histogram);
        long[] gap = longestGap(startMillis, endMillis, successes.stream().mapToLong(Long::longValue).toArray());
        out.put("longest_window_without_success_ms", gap[0]);
        out.put("longest_window_without_success_from", java.time.Instant.ofEpochMilli(gap[1]).toString());
        out.put("passed_I5", passed());
        return out;
    }

    /**
     * @param successes the times of the successes, in any order, within [start, end]
     * @return the longest interval without a success, counting from the start and up to the end,
     *         as {length, start of it}
     */
    static long[] longestGap(long start, long end, long[] successes) {
        long[] times = successes.clone();
        java.util.Arrays.sort(times);
        long best = 0;
        long bestFrom = start;
        long previous = start;
        for (long t : times) {
            if (t - previous > best) {
                best = t - previous;
                bestFrom = previous;
            }
            previous = Math.max(previous, t);
        }
        if (end - previous > best) {
            best = end - previous;
            bestFrom = previous;
        }
        return new long[] {best, bestFrom};
    }
}
