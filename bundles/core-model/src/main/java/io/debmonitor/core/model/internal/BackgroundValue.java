package io.debmonitor.core.model.internal;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A value too costly to compute per request (a fleet-wide aggregate), kept in memory. {@link
 * #get()} returns it at once; when it is older than the maximum age, that call also starts one
 * recomputation in the background, so the value lags the database by at most the maximum age plus
 * one computation, and a value nobody asks for is never computed. Only the first call waits for a
 * computation; {@link #invalidate()} makes the value old at once, so the next call recomputes it in
 * the background while callers keep the previous value.
 */
final class BackgroundValue<T> {

    /** @param generation the {@link #generation} when the computation started */
    private record Computed<T>(T value, long at, long generation) {
    }

    private final Logger logger = LoggerFactory.getLogger(BackgroundValue.class);
    private final String name;
    private final long maxAgeNanos;
    private final Supplier<T> compute;
    private final ExecutorService refresher;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private final Object firstComputation = new Object();
    private volatile Computed<T> current;
    /** Moved by {@link #invalidate()}: a value computed from an older generation is old. */
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();

    BackgroundValue(String name, Duration maxAge, Supplier<T> compute) {
        this.name = name;
        this.maxAgeNanos = maxAge.toNanos();
        this.compute = compute;
        this.refresher = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "debmonitor-" + name.replace(' ', '-'));
            thread.setDaemon(true);
            return thread;
        });
    }

    T get() {
        Computed<T> computed = current;
        if (computed == null) {
            synchronized (firstComputation) {
                if (current == null) {
                    current = computeNow();
                }
                return current.value();
            }
        }
        boolean old = computed.generation() < generation.get() || System.nanoTime() - computed.at() > maxAgeNanos;
        if (old && refreshing.compareAndSet(false, true)) {
            try {
                refresher.execute(this::refresh);
            } catch (RejectedExecutionException e) {
                refreshing.set(false);
            }
        }
        return computed.value();
    }

    /** What the value is computed from changed (on this node): the next {@link #get()} starts recomputing it. */
    void invalidate() {
        generation.incrementAndGet();
    }

    void close() {
        refresher.shutdownNow();
    }

    private void refresh() {
        try {
            current = computeNow();
        } catch (RuntimeException e) {
            logger.warn("The {} could not be recomputed; pages keep the previous ones: {}", name, e.toString());
        } finally {
            refreshing.set(false);
        }
    }

    private Computed<T> computeNow() {
        // Aged from the start, when its data was read.
        long started = System.nanoTime();
        long from = generation.get();
        T value = compute.get();
        logger.debug("The {} computed in {} ms", name, (System.nanoTime() - started) / 1_000_000);
        return new Computed<>(value, started, from);
    }
}
