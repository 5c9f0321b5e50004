package io.debmonitor.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Outcomes of one phase: latencies of the 201 answers, and the errors. Thread-safe. */
final class Stats {

    private static final int ERROR_SAMPLES = 5;

    private final long[] latencies;
    private final AtomicInteger successes = new AtomicInteger();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicLong handshakeNanos = new AtomicLong();
    private final AtomicLong requestBytes = new AtomicLong();
    private final Map<Integer, Integer> errorStatuses = new TreeMap<>();
    private final Map<String, Integer> errorSamples = new LinkedHashMap<>();

    Stats(int capacity) {
        this.latencies = new long[capacity];
    }

    void record(int expectedStatus, TlsReporter.Response response, long nanos, int bytes) {
        requestBytes.addAndGet(bytes);
        handshakeNanos.addAndGet(response.handshakeNanos());
        if (response.status() == expectedStatus) {
            latencies[successes.getAndIncrement()] = nanos;
        } else {
            synchronized (this) {
                errorStatuses.merge(response.status(), 1, Integer::sum);
                String sample = (response.status() < 0 ? "I/O" : String.valueOf(response.status())) + " "
                        + TlsReporter.abbreviate(response.body());
                if (errorSamples.containsKey(sample) || errorSamples.size() < ERROR_SAMPLES) {
                    errorSamples.merge(sample, 1, Integer::sum);
                }
            }
        }
        done.incrementAndGet();
    }

    int done() {
        return done.get();
    }

    /** The phase's figures; latencies are of the successful reports only. */
    Summary summarize(String phase, long wallNanos, Map<String, Double> cpuMsPerReport) {
        int ok = successes.get();
        long[] sorted = Arrays.copyOf(latencies, ok);
        Arrays.sort(sorted);
        int count = done.get();
        synchronized (this) {
            return new Summary(phase, count, count - ok, new TreeMap<>(errorStatuses), new ArrayList<>(errorSamples.keySet()),
                    wallNanos / 1e9, count / (wallNanos / 1e9), percentile(sorted, 50), percentile(sorted, 95),
                    percentile(sorted, 99), ok == 0 ? Double.NaN : sorted[ok - 1] / 1e6,
                    ok == 0 ? Double.NaN : Arrays.stream(sorted).average().orElse(0) / 1e6,
                    count == 0 ? Double.NaN : handshakeNanos.get() / 1e6 / count, requestBytes.get(), cpuMsPerReport);
        }
    }

    /** Nearest-rank percentile, in milliseconds. */
    private static double percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }

    record Summary(String phase, int count, int errors, Map<Integer, Integer> errorStatuses, List<String> errorSamples,
                   double wallSeconds, double rate, double p50, double p95, double p99, double max, double mean,
                   double tlsHandshakeMean, long requestBytes, Map<String, Double> cpuMsPerReport) {
    }
}
