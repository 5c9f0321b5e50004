package io.debmonitor.bench;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLSocketFactory;

/**
 * The web UI's pages (SPEC §5), each as HTML and as its JSON twin ({@code ?format=json}): N GETs
 * per URL from C workers, one URL after the other, each worker keeping its TLS connection alive
 * across requests as a browser does. All requests present one fleet host's certificate, which
 * counts as logged in (SPEC §3.3).
 */
final class PagesPhase {

    static final String NAME = "pages";

    /** The server's default {@code ui.pageSize}: only used to estimate the last page offline. */
    static final int DEFAULT_PAGE_SIZE = 50;

    /** Unmeasured requests per URL before its clock starts, so that the server has compiled its code path. */
    private static final int WARMUP_REQUESTS = 20;

    /** How much of a failing page's body to print. */
    private static final int FAILURE_BODY_CHARS = 2000;

    /**
     * One page; {@code lastPageToo} also measures its table's last page, computed from the
     * {@code total} and {@code size} of its JSON twin's answer.
     */
    record Page(String label, String path, boolean lastPageToo) {
    }

    /** The figures of one URL; {@code connections} is how many TLS connections its measured requests opened. */
    record Measured(String label, String format, String path, Stats.Summary summary, int connections) {
    }

    record Result(Stats.Summary overall, List<Measured> pages) {
    }

    private final List<Page> pages;
    private final String identity;
    private final int requests;
    private final int concurrency;
    private final int progressSeconds;

    PagesPhase(List<Page> pages, String identity, int requests, int concurrency, int progressSeconds) {
        this.pages = pages;
        this.identity = identity;
        this.requests = requests;
        this.concurrency = concurrency;
        this.progressSeconds = progressSeconds;
    }

    /**
     * The pages of SPEC §5 with names from the fleet: the first host, a package that every host has
     * (its first and last page of rows), that package's source, and a search for its first three letters.
     */
    static List<Page> defaults(Fleet fleet) {
        PackageUniverse.Binary everywhere = packageOnEveryHost(fleet);
        String name = everywhere.names[0];
        String source = fleet.universe.sources.get(everywhere.source).name;
        return List.of(
                new Page("dashboard", "/", false),
                new Page("hosts", "/hosts/", false),
                new Page("hosts-security", "/hosts/?upgrades=security", false),
                new Page("host", "/hosts/" + pathSegment(fleet.hosts.get(0).fqdn()), false),
                new Page("package", "/packages/" + pathSegment(name), true),
                new Page("source-package", "/source-packages/" + pathSegment(source), false),
                new Page("kernels", "/kernels/", false),
                new Page("search", "/search?q=" + queryValue(name.substring(0, Math.min(3, name.length()))), false));
    }

    /** Pages given by --page-list, labelled by their paths. */
    static List<Page> of(List<String> paths) {
        return paths.stream().map(p -> new Page(p, p, false)).toList();
    }

    /**
     * The first curated package whose name is the same on every OS release. Curated packages are
     * in the base set that every host of the fleet has.
     */
    private static PackageUniverse.Binary packageOnEveryHost(Fleet fleet) {
        Fleet.Host first = fleet.hosts.get(0);
        for (PackageUniverse.Binary binary : fleet.universe.binaries) {
            String name = binary.names[0];
            if (binary.curated && !name.contains(":") && Arrays.stream(binary.names).allMatch(name::equals)
                    && fleet.packages(first).stream().anyMatch(item -> item.name().equals(name))) {
                return binary;
            }
        }
        throw new IllegalStateException("The fleet has no package that every host has.");
    }

    /** Prints the URLs a run would request, without a server. */
    void printPlan(int hosts, PrintStream log) {
        log.printf("Pages phase: %d requests per URL after %d unmeasured, %d workers over kept-alive connections, "
                + "client certificate of %s%n", requests, Math.min(WARMUP_REQUESTS, requests), concurrency, identity);
        int width = labelWidth(pages, "-last");
        for (Page page : pages) {
            log.printf("  %-" + width + "s %s%n  %-" + width + "s %s%n", page.label, page.path, "", jsonTwin(page.path));
            if (page.lastPageToo) {
                int last = Math.max(1, (hosts + DEFAULT_PAGE_SIZE - 1) / DEFAULT_PAGE_SIZE);
                String path = withParameter(page.path, "page=" + last);
                log.printf("  %-" + width + "s %s%n  %-" + width + "s %s%n", page.label + "-last", path, "", jsonTwin(path));
                log.printf("  %-" + width + "s (estimated: %d hosts at %d rows per page; a run reads total and size "
                        + "from the first page's JSON)%n", "", hosts, DEFAULT_PAGE_SIZE);
            }
        }
    }

    Result run(TlsReporter tls, CpuMeter cpu, PrintStream log) throws InterruptedException, GeneralSecurityException {
        List<Page> list = new ArrayList<>(pages);
        log.printf("%n== %s: %d pages as HTML and JSON, %d requests each (after %d unmeasured), %d workers over kept-alive "
                        + "connections, client certificate of %s%n", NAME, list.size(), requests, Math.min(WARMUP_REQUESTS, requests),
                concurrency, identity);
        // One context for all workers, as one browser has: a reconnecting worker may resume its TLS session.
        SSLSocketFactory factory = tls.context(identity).getSocketFactory();
        AtomicInteger connections = new AtomicInteger();
        PageClient[] clients = new PageClient[concurrency];
        for (int w = 0; w < concurrency; w++) {
            clients[w] = new PageClient(tls, factory, connections);
        }
        // At most one page is added (the last page of a table), and only successes keep a latency.
        Stats overall = new Stats((list.size() + 1) * 2 * requests);
        List<Measured> results = new ArrayList<>();
        Map<String, Long> cpuSpent = new LinkedHashMap<>();
        long measuredNanos = 0;
        int measuredRequests = 0;
        int width = labelWidth(list, "-last");
        try {
            for (int i = 0; i < list.size(); i++) {
                Page page = list.get(i);
                for (boolean json : new boolean[] {false, true}) {
                    String format = json ? "json" : "html";
                    String path = json ? jsonTwin(page.path) : page.path;
                    String name = page.label + " " + format;
                    Stats stats = new Stats(requests);
                    PageClient.Answer probe = clients[0].get(path, json);
                    TlsReporter.Response failed = probe.status() == 200 ? null : probe.response();
                    if (failed == null && json && page.lastPageToo) {
                        try {
                            String last = withParameter(page.path, "page=" + lastPage(probe.text(), "rows"));
                            list.add(i + 1, new Page(page.label + "-last", last, false));
                            log.printf("   %s: %s has the last page of its rows%n", page.label, last);
                        } catch (IllegalArgumentException e) {
                            failed = new TlsReporter.Response(-1, "cannot find the last page: " + e.getMessage(), 0);
                        }
                    }
                    if (failed != null) {
                        log.printf("   %s: GET %s -> %s%n   %s%n", name, path,
                                failed.status() < 0 ? "failed" : String.valueOf(failed.status()), head(failed.body()).replace("\n", "\n   "));
                        stats.record(200, failed, 0, probe.body().length);
                        overall.record(200, failed, 0, probe.body().length);
                        results.add(new Measured(page.label, format, path, stats.summarize(name, 0, Map.of()), 0));
                        log.println(Results.pageHeader(width));
                        log.println(Results.pageRow(results.get(results.size() - 1), width));
                        continue;
                    }
                    drive(clients, name, path, json, Math.min(WARMUP_REQUESTS, requests) - 1, null, null, log);
                    int connectionsBefore = connections.get();
                    Map<String, Long> before = cpu.sample();
                    long wall = drive(clients, name, path, json, requests, stats, overall, log);
                    Map<String, Long> after = cpu.sample();
                    after.forEach((process, nanos) -> {
                        Long start = before.get(process);
                        if (start != null) {
                            cpuSpent.merge(process, nanos - start, Long::sum);
                        }
                    });
                    measuredNanos += wall;
                    measuredRequests += stats.done();
                    Measured measured = new Measured(page.label, format, path,
                            stats.summarize(name, wall, CpuMeter.perReport(before, after, stats.done())),
                            connections.get() - connectionsBefore);
                    results.add(measured);
                    log.println(Results.pageHeader(width));
                    log.println(Results.pageRow(measured, width));
                    for (String sample : measured.summary().errorSamples()) {
                        log.println("   e.g. " + sample);
                    }
                }
            }
        } finally {
            for (PageClient client : clients) {
                client.close();
            }
        }
        Map<String, Long> zero = new LinkedHashMap<>();
        cpuSpent.keySet().forEach(process -> zero.put(process, 0L));
        Stats.Summary summary = overall.summarize(NAME, measuredNanos, CpuMeter.perReport(zero, cpuSpent, measuredRequests));
        return new Result(summary, results);
    }

    static void table(List<Measured> measured, PrintStream log) {
        int width = Math.max("page".length(), measured.stream().mapToInt(m -> m.label().length()).max().orElse(0));
        log.println(Results.pageHeader(width));
        measured.forEach(m -> log.println(Results.pageRow(m, width)));
    }

    /** Sends {@code count} GETs from all workers; records them when {@code stats} is given. Returns the wall time. */
    private long drive(PageClient[] clients, String name, String path, boolean json, int count, Stats stats, Stats overall,
                       PrintStream log) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        ScheduledExecutorService progress = null;
        if (stats != null) {
            progress = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "progress");
                t.setDaemon(true);
                return t;
            });
            progress.scheduleAtFixedRate(() -> log.printf("   %s: %d/%d done, %.1f requests/s%n", name, stats.done(), count,
                    stats.done() / ((System.nanoTime() - start) / 1e9)), progressSeconds, progressSeconds, TimeUnit.SECONDS);
        }
        List<Thread> workers = new ArrayList<>();
        for (PageClient client : clients) {
            Thread worker = new Thread(() -> {
                for (int i; (i = next.getAndIncrement()) < count; ) {
                    long t0 = System.nanoTime();
                    PageClient.Answer answer = client.get(path, json);
                    long nanos = System.nanoTime() - t0;
                    if (stats != null) {
                        TlsReporter.Response response = answer.response();
                        stats.record(200, response, nanos, answer.body().length);
                        overall.record(200, response, nanos, answer.body().length);
                    }
                }
            }, NAME + "-" + workers.size());
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        long wall = System.nanoTime() - start;
        if (progress != null) {
            progress.shutdownNow();
        }
        return wall;
    }

    /** The last page number of the table under {@code table}, or of the top-level table. */
    static int lastPage(String json, String table) {
        if (!(JsonReader.parse(json) instanceof Map<?, ?> top)) {
            throw new IllegalArgumentException("The JSON is not an object.");
        }
        for (Object candidate : Arrays.asList(top.get(table), top)) {
            if (candidate instanceof Map<?, ?> m && m.get("total") instanceof Double total
                    && m.get("size") instanceof Double size && size > 0) {
                return (int) Math.max(1, Math.ceil(total / size));
            }
        }
        throw new IllegalArgumentException("No \"total\" and \"size\" under \"" + table + "\" or at the top of the JSON.");
    }

    static String jsonTwin(String path) {
        return withParameter(path, "format=json");
    }

    private static String withParameter(String path, String parameter) {
        return path + (path.contains("?") ? "&" : "?") + parameter;
    }

    /** Percent-encodes what a path segment does not allow; {@code + : @} stay literal, as the UI's links have them (SPEC §5.1). */
    static String pathSegment(String s) {
        return encode(s, "-._~+:@");
    }

    static String queryValue(String s) {
        return encode(s, "-._~");
    }

    private static String encode(String s, String literal) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || literal.indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static String head(String body) {
        return body.length() <= FAILURE_BODY_CHARS ? body : body.substring(0, FAILURE_BODY_CHARS) + "...";
    }

    private static int labelWidth(List<Page> pages, String suffix) {
        return Math.max("page".length(), pages.stream().mapToInt(p -> p.label.length() + (p.lastPageToo ? suffix.length() : 0)).max().orElse(0));
    }
}
