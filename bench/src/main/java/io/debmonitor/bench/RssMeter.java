package io.debmonitor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's resident memory during one phase: VmRSS from /proc/PID/status at the start, every
 * second and at the end, plus VmHWM, the kernel's peak since the process started.
 */
final class RssMeter {

    private static final long SAMPLE_MILLIS = 1000;

    private final long pid;
    private final long startKib;
    private final AtomicLong peakKib = new AtomicLong(-1);
    private final AtomicInteger samples = new AtomicInteger();
    private final ScheduledExecutorService sampler;

    private RssMeter(long pid) {
        this.pid = pid;
        this.startKib = sample();
        this.sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rss-" + pid);
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleAtFixedRate(this::sample, SAMPLE_MILLIS, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Starts sampling, or returns null when there is no PID to watch. */
    static RssMeter start(Long pid) {
        return pid == null ? null : new RssMeter(pid);
    }

    /** Stops sampling; the figures are in MiB, and null where /proc could not be read. */
    Map<String, Object> stop() {
        sampler.shutdownNow();
        try {
            sampler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long endKib = sample();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("pid", pid);
        out.put("rss_start_mib", mib(startKib));
        out.put("rss_peak_mib", mib(peakKib.get()));
        out.put("rss_end_mib", mib(endKib));
        out.put("vm_hwm_mib", mib(field("VmHWM")));
        out.put("samples", samples.get());
        out.put("sample_interval_ms", SAMPLE_MILLIS);
        return out;
    }

    static String describe(Map<String, Object> rss) {
        return String.format(Locale.ROOT, "server RSS: start %s MiB, peak %s MiB (sampled every %d ms), end %s MiB; "
                        + "peak since the server started (VmHWM) %s MiB",
                rss.get("rss_start_mib"), rss.get("rss_peak_mib"), SAMPLE_MILLIS, rss.get("rss_end_mib"), rss.get("vm_hwm_mib"));
    }

    private long sample() {
        long kib = field("VmRSS");
        if (kib >= 0) {
            samples.incrementAndGet();
            peakKib.accumulateAndGet(kib, Math::max);
        }
        return kib;
    }

    /** A kB field of /proc/PID/status, or -1. */
    private long field(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(name + ":")) {
                    return Long.parseLong(line.substring(name.length() + 1).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process ended or is not visible: no figure
        }
        return -1;
    }

    private static Long mib(long kib) {
        return kib < 0 ? null : Math.round(kib / 1024.0);
    }
}
