package io.debmonitor.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/** Entry point: builds the fleet and its certificates, checks the server, runs the phases, reports. */
public final class Main {

    /** Beyond this many hosts, the fleet summary is computed on the first ones only. */
    private static final int SUMMARY_SAMPLE = 2000;

    /** The dpkg_hook reports sent during the pages phase (--pages-with-ingest). */
    private static final String INGEST_WITH_PAGES = "dpkg-hook+pages";

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("debmonitor-bench: " + e.getMessage());
            System.err.print(Options.USAGE);
            System.exit(2);
            return;
        }
        if (options.help) {
            System.out.print(Options.USAGE);
            return;
        }
        System.exit(run(options, System.out));
    }

    static int run(Options o, PrintStream log) throws Exception {
        // One key share (X25519) per ClientHello, as OpenSSL-based clients such as curl and the
        // Python debmonitor-client send. JDK 17 sends one per curve family, so with its default list it
        // would also generate a P-256 key per connection that the server never uses. Override with
        // BENCH_JAVA_OPTS=-Djdk.tls.namedGroups=... for a server without X25519.
        if (System.getProperty("jdk.tls.namedGroups") == null) {
            System.setProperty("jdk.tls.namedGroups", "x25519");
        }
        Instant started = Instant.now();
        String loadAtStart = Results.loadAverage();
        PackageUniverse universe = new PackageUniverse(o.seed, o.universe, OsRelease.ALL);
        Fleet fleet = new Fleet(universe, o.seed, o.hosts, o.domain);
        if (o.dumpSample) {
            Fleet.Host host = fleet.hosts.get(0);
            log.println(new String(Payloads.full(host, fleet.packages(host)), StandardCharsets.UTF_8));
            log.println(new String(Payloads.dpkgHook(host, fleet.dpkgHook(host, 0)), StandardCharsets.UTF_8));
            return 0;
        }
        if (o.dryRunPages) {
            pagesPhase(o, fleet).printPlan(fleet.hosts.size(), log);
            return 0;
        }

        log.printf("DebMonitor load benchmark: %d hosts (*.%s), concurrency %d, seed %d, %s client keys, server %s, phases %s%n",
                o.hosts, o.domain, o.concurrency, o.seed, o.keyType.toUpperCase(java.util.Locale.ROOT), o.server,
                String.join(",", o.phases));
        Map<String, Object> fleetSummary = summarize(fleet, log);

        Certificates certificates = Certificates.loadOrCreate(o.pki.resolve(o.keyType), o.keyType, o.seed, o.domain, fleet.hosts, log);
        log.println("Bench CA: " + certificates.caFile);
        if (o.configureServer != null) {
            configureServer(o.configureServer, certificates.caFile, log);
        } else {
            log.println("   The server's clientCaFile (etc/io.debmonitor.security.cfg) must point at this file,");
            log.println("   or pass --configure-server <server dir> to set it.");
        }
        String trust = o.serverCa == null
                ? "not verified: any server certificate is trusted (fine on loopback; use --server-ca PEM to verify)"
                : "verified against " + o.serverCa.toAbsolutePath() + " (chain and host name)";
        log.println("Server certificate: " + trust);
        TlsReporter reporter = new TlsReporter(o, certificates);
        if (!preflight(reporter, fleet.hosts.get(0), o.configureServer != null, log)) {
            return 3;
        }
        warmUp(reporter, fleet, o.warmup, o.concurrency, log);
        if (o.phases.contains(Phase.FULL_NEW)) {
            log.println("Note: full-new measures first reports; it assumes these hosts are not in the database yet "
                    + "(a fresh database, or another --domain).");
        }

        CpuMeter cpu = new CpuMeter(o.serverPid, o.databasePid);
        List<Stats.Summary> summaries = new ArrayList<>();
        List<Map<String, Object>> phaseResults = new ArrayList<>();
        PagesPhase.Result pages = null;
        for (String name : o.phases) {
            RssMeter rss = RssMeter.start(o.serverPid);
            if (name.equals(PagesPhase.NAME)) {
                pages = runPages(o, fleet, reporter, cpu, summaries, phaseResults, log);
            } else {
                Phase phase = switch (name) {
                    case Phase.FULL_NEW, Phase.FULL_UNCHANGED -> new Phase(name, o.hosts, i -> {
                        Fleet.Host host = fleet.hosts.get(i);
                        return new Phase.Job(host, Payloads.full(host, fleet.packages(host)));
                    });
                    default -> dpkgHookPhase(fleet, o.seed, o.hookReports, Phase.DPKG_HOOK, 0);
                };
                Stats.Summary summary = phase.run(reporter, cpu, o.concurrency, o.progressSeconds, log);
                summaries.add(summary);
                phaseResults.add(Results.phase(summary));
            }
            if (rss != null) {
                Map<String, Object> memory = rss.stop();
                log.println("   " + RssMeter.describe(memory));
                phaseResults.get(phaseResults.size() - 1).put("server_rss", memory);
            }
        }

        log.println();
        log.println("Results (latencies of 201 answers, each including TCP connect and a full TLS handshake;");
        if (pages != null) {
            log.println("pages: latencies of 200 answers over kept-alive connections, avg KiB the size of the answers;");
        }
        log.println("server and load generator share this machine's " + Runtime.getRuntime().availableProcessors() + " CPUs):");
        Results.table(summaries, log);
        if (pages != null) {
            log.println();
            PagesPhase.table(pages.pages(), log);
        }

        Map<String, Object> results = new LinkedHashMap<>();
        results.put("benchmark", "debmonitor-bench");
        results.put("timestamp", started.truncatedTo(ChronoUnit.MILLIS).toString());
        results.put("parameters", parameters(o, trust));
        results.put("machine", Results.machine(loadAtStart));
        results.put("java", Results.java());
        results.put("fleet", fleetSummary);
        results.put("notes", List.of(
                "Latencies are of 201 answers, from TCP connect to the end of the response, one new TLS connection per report.",
                "Pages: latencies are of 200 answers, from sending the request to the end of the response, over kept-alive "
                        + "connections; byte counts are of response bodies.",
                "Server and load generator share the machine."));
        results.put("phases", phaseResults);
        Results.write(o.out, results);
        log.println("Results written to " + o.out.toAbsolutePath());
        return summaries.stream().anyMatch(s -> s.errors() > 0) ? 1 : 0;
    }

    private static PagesPhase pagesPhase(Options o, Fleet fleet) {
        List<PagesPhase.Page> pages = o.pageList == null ? PagesPhase.defaults(fleet) : PagesPhase.of(o.pageList);
        return new PagesPhase(pages, fleet.hosts.get(0).fqdn(), o.pageRequests, o.concurrency, o.progressSeconds);
    }

    /**
     * The pages phase and, with --pages-with-ingest, dpkg_hook reports sent at the same time by
     * C more workers. The pages start once the reports' bodies are built and their clock runs.
     */
    private static PagesPhase.Result runPages(Options o, Fleet fleet, TlsReporter reporter, CpuMeter cpu,
                                              List<Stats.Summary> summaries, List<Map<String, Object>> phaseResults,
                                              PrintStream log) throws Exception {
        FutureTask<Stats.Summary> ingest = null;
        if (o.pagesWithIngest) {
            int n = fleet.hosts.size();
            // Continue the apt runs of a dpkg-hook phase of this run instead of sending its reports again.
            int firstRound = o.phases.contains(Phase.DPKG_HOOK) ? (o.hookReports + n - 1) / n : 0;
            Phase phase = dpkgHookPhase(fleet, o.seed, o.hookReports, INGEST_WITH_PAGES, firstRound);
            ingest = new FutureTask<>(() -> phase.run(reporter, cpu, o.concurrency, o.progressSeconds, log));
            new Thread(ingest, INGEST_WITH_PAGES).start();
            phase.awaitRunning();
        }
        long start = System.nanoTime();
        PagesPhase.Result result = pagesPhase(o, fleet).run(reporter, cpu, log);
        double pagesSeconds = (System.nanoTime() - start) / 1e9;
        if (ingest != null) {
            if (ingest.isDone()) {
                log.println("Note: the dpkg_hook reports ended before the pages did; raise --hook-reports to cover the whole pages phase.");
            }
            Stats.Summary summary;
            try {
                summary = ingest.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
            summaries.add(summary);
            phaseResults.add(Results.phase(summary));
            log.printf("   the pages phase ran for %.1f s (warm-up requests included), the dpkg_hook reports for %.1f s; "
                    + "CPU figures of both include the other's load%n", pagesSeconds, summary.wallSeconds());
        }
        summaries.add(result.overall());
        phaseResults.add(Results.pagesPhase(result, o.pageRequests, o.concurrency, fleet.hosts.get(0).fqdn()));
        return result;
    }

    /**
     * dpkg_hook reports spread over the fleet: every host once per round, in a shuffled order,
     * starting with apt run {@code firstRound} of each host.
     */
    private static Phase dpkgHookPhase(Fleet fleet, long seed, int reports, String name, int firstRound) {
        int n = fleet.hosts.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(Fleet.mix(seed, 0x0D3E));
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return new Phase(name, reports, i -> {
            Fleet.Host host = fleet.hosts.get(order[i % n]);
            return new Phase.Job(host, Payloads.dpkgHook(host, fleet.dpkgHook(host, firstRound + i / n)));
        });
    }

    private static Map<String, Object> summarize(Fleet fleet, PrintStream log) {
        int sample = Math.min(fleet.hosts.size(), SUMMARY_SAMPLE);
        long packages = 0;
        long upgradable = 0;
        long security = 0;
        long bytes = 0;
        int min = Integer.MAX_VALUE;
        int max = 0;
        Map<String, Integer> oses = new TreeMap<>();
        for (Fleet.Host host : fleet.hosts) {
            oses.merge(host.release().name(), 1, Integer::sum);
        }
        for (Fleet.Host host : fleet.hosts.subList(0, sample)) {
            List<Fleet.Item> items = fleet.packages(host);
            packages += items.size();
            min = Math.min(min, items.size());
            max = Math.max(max, items.size());
            for (Fleet.Item item : items) {
                upgradable += item.upgrade() != null ? 1 : 0;
                security += item.security() ? 1 : 0;
            }
            bytes += Payloads.full(host, items).length;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("hosts", fleet.hosts.size());
        out.put("universe_binaries", fleet.universe.size());
        out.put("universe_sources", fleet.universe.sources.size());
        out.put("summary_sampled_hosts", sample);
        out.put("packages_per_host_min", min);
        out.put("packages_per_host_mean", (double) packages / sample);
        out.put("packages_per_host_max", max);
        out.put("upgradable_per_host_mean", (double) upgradable / sample);
        out.put("security_per_host_mean", (double) security / sample);
        out.put("full_report_kib_mean", bytes / 1024.0 / sample);
        out.put("os", new LinkedHashMap<>(oses));
        log.printf("Fleet: %d hosts %s; %d binary packages from %d sources; per host %d-%d packages (mean %.0f), "
                        + "%.0f upgradable (%.1f%%) of which %.0f security, full report %.0f KiB%s%n",
                fleet.hosts.size(), oses, fleet.universe.size(), fleet.universe.sources.size(), min, max,
                (double) packages / sample, (double) upgradable / sample, 100.0 * upgradable / packages,
                (double) security / sample, bytes / 1024.0 / sample,
                sample < fleet.hosts.size() ? " (first " + sample + " hosts)" : "");
        return out;
    }

    private static Map<String, Object> parameters(Options o, String trust) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("server", o.server.toString());
        out.put("hosts", o.hosts);
        out.put("concurrency", o.concurrency);
        out.put("key_type", o.keyType);
        out.put("seed", o.seed);
        out.put("domain", o.domain);
        out.put("phases", o.phases);
        out.put("hook_reports", o.phases.contains(Phase.DPKG_HOOK) || o.pagesWithIngest ? o.hookReports : 0);
        if (o.phases.contains(PagesPhase.NAME)) {
            out.put("page_requests", o.pageRequests);
            out.put("page_list", o.pageList);
            out.put("pages_with_ingest", o.pagesWithIngest);
        }
        out.put("universe", o.universe);
        out.put("timeout_seconds", o.timeoutSeconds);
        out.put("server_certificate", trust);
        return out;
    }

    /** Points clientCaFile at the bench CA; the server picks the change up by itself. */
    private static void configureServer(Path serverDir, Path caFile, PrintStream log) throws IOException {
        Path cfg = serverDir.resolve("etc/io.debmonitor.security.cfg");
        List<String> lines = Files.exists(cfg) ? new ArrayList<>(Files.readAllLines(cfg)) : new ArrayList<>();
        String wanted = "clientCaFile = " + caFile.toAbsolutePath();
        boolean found = false;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches("\\s*clientCaFile\\s*[=:].*")) {
                if (lines.get(i).trim().equals(wanted)) {
                    log.println("   " + cfg + " already has " + wanted);
                    return;
                }
                lines.set(i, wanted);
                found = true;
            }
        }
        if (!found) {
            lines.add(wanted);
        }
        Files.write(cfg, lines);
        log.println("   Set " + wanted + " in " + cfg);
    }

    /**
     * One GET /auth-check as the first host: proves the server answers and accepts the bench CA
     * before thousands of reports fail. After --configure-server, waits for the server to reload.
     */
    /**
     * Handshakes (GET /auth-check, no data written) until both JVMs have compiled their TLS code:
     * the load generator starts cold for every run, the server it measures has usually run for days.
     */
    private static void warmUp(TlsReporter reporter, Fleet fleet, int handshakes, int concurrency, PrintStream log)
            throws InterruptedException {
        if (handshakes == 0) {
            return;
        }
        long start = System.nanoTime();
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            Thread worker = new Thread(() -> {
                for (int i; (i = next.getAndIncrement()) < handshakes; ) {
                    if (reporter.get(fleet.hosts.get(i % fleet.hosts.size()).fqdn(), "/auth-check").status() != 200) {
                        failed.incrementAndGet();
                    }
                }
            }, "warm-up-" + w);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        log.printf("Warm-up: %d handshakes (GET /auth-check) in %.1f s, %d not 200%n", handshakes,
                (System.nanoTime() - start) / 1e9, failed.get());
    }

    private static boolean preflight(TlsReporter reporter, Fleet.Host host, boolean waitForReload, PrintStream log)
            throws InterruptedException {
        long deadline = System.nanoTime() + (waitForReload ? 30_000_000_000L : 0);
        while (true) {
            TlsReporter.Response r = reporter.get(host.fqdn(), "/auth-check");
            if (r.status() == 200) {
                log.println("Preflight: GET /auth-check as " + host.fqdn() + " -> 200");
                return true;
            }
            if (r.status() == 403 && System.nanoTime() < deadline) {
                Thread.sleep(1000);
                continue;
            }
            log.println("Preflight failed: GET /auth-check as " + host.fqdn() + " -> "
                    + (r.status() < 0 ? "no HTTP answer" : String.valueOf(r.status())) + " " + TlsReporter.abbreviate(r.body()));
            if (r.status() == 403) {
                log.println("The server does not accept the bench certificates: set clientCaFile in its "
                        + "etc/io.debmonitor.security.cfg to the bench CA above (or use --configure-server).");
            }
            return false;
        }
    }
}
