package io.debmonitor.client;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * The hook-mode deadline (SPEC §7.5): the whole run, measured from process start, ends within
 * {@code hook_timeout}. A watchdog thread kills running helpers, logs one line per server that has
 * not been served, and ends the process with status 1.
 */
final class Deadline {

    private final int seconds;
    private final long endNanos;
    private final IntConsumer exit;
    private volatile boolean cancelled;

    /** A deadline {@code seconds} after {@code processStart}; {@code exit} ends the process. */
    Deadline(int seconds, Instant processStart, IntConsumer exit) {
        this(seconds, System.nanoTime() + Duration.ofSeconds(seconds).toNanos()
                - Math.max(0, Duration.between(processStart, Instant.now()).toNanos()), exit);
    }

    Deadline(int seconds, long endNanos, IntConsumer exit) {
        this.seconds = seconds;
        this.endNanos = endNanos;
        this.exit = exit;
    }

    /** The JVM start time, which is the process start. */
    static Instant processStart() {
        return ProcessHandle.current().info().startInstant().orElse(Instant.now());
    }

    int seconds() {
        return seconds;
    }

    long remainingMillis() {
        return Math.max(0, (endNanos - System.nanoTime() + 999_999) / 1_000_000);
    }

    String message(String server) {
        return "deadline of " + seconds + " s exceeded, report not sent to " + server;
    }

    /** Starts the watchdog; {@code pending} holds the servers not yet served (empty in dry-run). */
    void arm(Set<String> pending) {
        Thread t = new Thread(() -> {
            try {
                long ms;
                while ((ms = remainingMillis()) > 0) {
                    Thread.sleep(ms);
                }
            } catch (InterruptedException e) {
                return;
            }
            if (cancelled) {
                return;
            }
            Exec.killAll();
            List<String> servers = new ArrayList<>(pending);
            if (servers.isEmpty()) {
                Log.error("deadline of " + seconds + " s exceeded");
            }
            for (String server : servers) {
                Log.error(message(server));
            }
            System.err.flush();
            exit.accept(Main.FAILURE);
        }, "deadline");
        t.setDaemon(true);
        t.start();
    }

    void cancel() {
        cancelled = true;
    }
}
