package io.debmonitor.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/** One benchmark phase: {@code total} reports sent by C workers, each over a new TLS connection. */
final class Phase {

    static final String FULL_NEW = "full-new";
    static final String FULL_UNCHANGED = "full-unchanged";
    static final String DPKG_HOOK = "dpkg-hook";

    /** One report to send: the host it speaks for and its body. */
    record Job(Fleet.Host host, byte[] body) {
    }

    private final String name;
    private final int total;
    private final IntFunction<Job> jobs;
    private final CountDownLatch running = new CountDownLatch(1);

    Phase(String name, int total, IntFunction<Job> jobs) {
        this.name = name;
        this.total = total;
        this.jobs = jobs;
    }

    /** Returns once this phase's clock has started (its bodies are built), or once it has ended otherwise. */
    void awaitRunning() throws InterruptedException {
        running.await();
    }

    Stats.Summary run(TlsReporter reporter, CpuMeter cpu, int concurrency, int progressSeconds, PrintStream log) throws InterruptedException {
        try {
            return measure(reporter, cpu, concurrency, progressSeconds, log);
        } finally {
            running.countDown();
        }
    }

    private Stats.Summary measure(TlsReporter reporter, CpuMeter cpu, int concurrency, int progressSeconds, PrintStream log)
            throws InterruptedException {
        log.printf("%n== %s: %d reports, %d workers%n", name, total, concurrency);
        // Every body is built before the clock starts: the hosts build their reports on their own
        // CPUs, so the load generator must not spend the shared CPUs on it during the run.
        long building = System.nanoTime();
        Job[] prepared = IntStream.range(0, total).parallel().mapToObj(jobs).toArray(Job[]::new);
        log.printf("   built %d report bodies in %.1f s%n", total, (System.nanoTime() - building) / 1e9);
        Stats stats = new Stats(total);
        AtomicInteger next = new AtomicInteger();
        Map<String, Long> cpuAtStart = cpu.sample();
        long start = System.nanoTime();
        running.countDown();
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "progress");
            t.setDaemon(true);
            return t;
        });
        long[] last = {start, 0};
        progress.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            int done = stats.done();
            double recent = (done - last[1]) / ((now - last[0]) / 1e9);
            last[0] = now;
            last[1] = done;
            log.printf("   %s: %d/%d done, %.1f reports/s now, %.1f overall%n", name, done, total, recent,
                    done / ((now - start) / 1e9));
        }, progressSeconds, progressSeconds, TimeUnit.SECONDS);

        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            Thread worker = new Thread(() -> {
                for (int i; (i = next.getAndIncrement()) < total; ) {
                    Job job = prepared[i];
                    prepared[i] = null;
                    long t0 = System.nanoTime();
                    TlsReporter.Response response = reporter.post(job.host.fqdn(), "/hosts/" + job.host.fqdn() + "/update", job.body);
                    stats.record(201, response, System.nanoTime() - t0, job.body.length);
                }
            }, name + "-" + w);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        long wall = System.nanoTime() - start;
        progress.shutdownNow();
        Stats.Summary summary = stats.summarize(name, wall, CpuMeter.perReport(cpuAtStart, cpu.sample(), stats.done()));
        log.println(Results.header());
        log.println(Results.row(summary));
        if (summary.errors() > 0) {
            log.println("   errors by status (-1: no HTTP answer): " + summary.errorStatuses());
            for (String sample : summary.errorSamples()) {
                log.println("   e.g. " + sample);
            }
        }
        return summary;
    }
}
