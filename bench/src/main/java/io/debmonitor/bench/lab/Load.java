package io.debmonitor.bench.lab;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.debmonitor.bench.LabFleet;

/**
 * {@code load}: the fleet cycles reports for a while. Each worker takes the host that waited
 * longest, sends its next report to the end (retries included), and puts the host back, so a
 * host never has two reports in flight and its reports arrive in order.
 */
final class Load {

    static final Set<String> OPTIONS = Set.of("server", "hosts", "concurrency", "seconds", "state", "out", "stop-file", "seed", "domain",
            "full-every", "pki", "server-ca", "timeout");

    private Load() {
    }

    static int run(Args a, PrintStream log) throws Exception {
        URI server = a.server("server");
        int seconds = a.positive("seconds", 60);
        int concurrency = a.positive("concurrency", 8);
        int fullEvery = a.positive("full-every", 8);
        Path stopFile = a.path("stop-file");
        Path pkiDir = a.path("pki");
        LabState state = LabState.create(Path.of(a.required("state")), a.positive("hosts", 200), a.number("seed", 1),
                a.string("domain", "lab.example.org"), pkiDir != null ? pkiDir : LabDriver.defaultPki());
        Path out = LabDriver.out(a, state.dir);
        LabFleet fleet = new LabFleet(state.seed, state.hosts, state.domain);
        LabFleet.Pki pki = LabDriver.pki(fleet, pkiDir != null ? pkiDir : state.pki, log);
        LabHttp http = new LabHttp(server, a.path("server-ca"), a.positive("timeout", 30));
        if (!ReportSender.preflight(http, pki, fleet.hosts().get(0), log)) {
            return 3;
        }
        log.printf("load: %d hosts (h0001.%s ...), concurrency %d, %d s%s, a full report every %d; state in %s, output in %s%n",
                state.hosts, state.domain, concurrency, seconds, stopFile == null ? "" : " or until " + stopFile + " exists", fullEvery,
                state.dir, out);

        long start = System.currentTimeMillis();
        Tally tally = new Tally(start);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean crashed = new AtomicBoolean();
        LinkedBlockingQueue<Integer> queue = new LinkedBlockingQueue<>();
        for (LabFleet.Host h : fleet.hosts()) {
            queue.add(h.index());
        }
        try (CsvLog attempts = new CsvLog(out.resolve("attempts.csv"), ReportSender.ATTEMPTS_HEADER);
             CsvLog reports = new CsvLog(out.resolve("reports.csv"), ReportSender.REPORTS_HEADER)) {
            ReportSender sender = new ReportSender(http, pki, tally, attempts, reports);
            List<Thread> workers = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                Thread worker = new Thread(() -> {
                    try {
                        while (!stop.get()) {
                            Integer h = queue.poll(200, TimeUnit.MILLISECONDS);
                            if (h == null) {
                                continue;
                            }
                            LabFleet.Host host = fleet.hosts().get(h);
                            int k = state.next(h);
                            Reports.Type type = Reports.type(k, fullEvery);
                            sender.send(host, k, type, Reports.body(fleet, host, k, type), Retry.MAX_RETRIES, Long.MAX_VALUE);
                            queue.add(h);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException e) {
                        e.printStackTrace(log);
                        crashed.set(true);
                        stop.set(true);
                    }
                }, "lab-load-" + w);
                worker.start();
                workers.add(worker);
            }
            long lastReports = 0;
            long lastPrint = start;
            for (int tick = 1; !stop.get(); tick++) {
                Thread.sleep(Math.max(0, start + tick * 1000L - System.currentTimeMillis()));
                boolean over = System.currentTimeMillis() - start >= seconds * 1000L || (stopFile != null && Files.exists(stopFile));
                if (tick % 5 == 0 || over) {
                    long reportsNow = tally.reports();
                    long now = System.currentTimeMillis();
                    log.printf("[%4d s] %6.1f reports/s; %s%n", tick, (reportsNow - lastReports) * 1000.0 / Math.max(1, now - lastPrint),
                            tally.progress());
                    lastReports = reportsNow;
                    lastPrint = now;
                    state.save(fleet.hosts());
                    attempts.flush();
                    reports.flush();
                }
                if (over) {
                    stop.set(true);
                }
            }
            log.println("Stopping: the reports in flight finish, retries included.");
            for (Thread worker : workers) {
                worker.join();
            }
        }
        state.save(fleet.hosts());
        long end = System.currentTimeMillis();

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("command", "load");
        summary.put("started", Instant.ofEpochMilli(start).toString());
        summary.put("server", server.toString());
        summary.put("hosts", state.hosts);
        summary.put("concurrency", concurrency);
        summary.put("full_every", fullEvery);
        summary.putAll(tally.summary(end));
        LabDriver.writeJson(out.resolve("load-summary.json"), summary, log);
        boolean passed = tally.passed() && !crashed.get();
        log.println(passed ? "load: passed (only 201, 503 with Retry-After and connection errors)"
                : "load: FAILED (" + (crashed.get() ? "a worker crashed" : "statuses outside 201 and 503 with Retry-After: I5") + ")");
        return passed ? 0 : 1;
    }
}
