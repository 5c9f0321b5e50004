package io.debmonitor.bench.lab;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.net.ssl.KeyManager;

import io.debmonitor.bench.LabFleet;
import io.debmonitor.bench.LabFleet.Pkg;

/**
 * {@code reconcile}, invariant I1: every host sends one more full report (k + 1), retried until
 * 201 within a per-host budget; then every host is read back through {@code GET /hosts/<fqdn>} as
 * JSON and compared with that report: OS, kernel, and every package's installed version, upgrade
 * and upgrade type. The read presents the host's own certificate, which counts as logged in for
 * the JSON of every page but the image lookup (SPEC §3.2–3.3); with {@code --ui-user} it uses a UI
 * session instead.
 */
final class Reconcile {

    static final Set<String> OPTIONS = Set.of("server", "state", "out", "pki", "concurrency", "max-seconds", "ui-user", "ui-password",
            "server-ca", "timeout");
    private static final long HOST_BUDGET_MILLIS = 120_000;
    private static final int PAGE_SIZE = 1000;
    private static final int SHOWN = 10;

    private Reconcile() {
    }

    /** A host's outcome: the k of its reconcile report, whether it was acknowledged, and the differences found. */
    private record Outcome(LabFleet.Host host, int k, ReportSender.Result sent, List<String> differences) {
    }

    static int run(Args a, PrintStream log) throws Exception {
        URI server = a.server("server");
        LabState state = LabState.open(Path.of(a.required("state")));
        Path out = LabDriver.out(a, state.dir);
        int concurrency = a.positive("concurrency", 4);
        int maxSeconds = a.positive("max-seconds", 900);
        LabFleet fleet = new LabFleet(state.seed, state.hosts, state.domain);
        LabFleet.Pki pki = LabDriver.pki(fleet, a.path("pki") != null ? a.path("pki") : state.pki, log);
        LabHttp http = new LabHttp(server, a.path("server-ca"), a.positive("timeout", 30));
        if (!ReportSender.preflight(http, pki, fleet.hosts().get(0), log)) {
            return 3;
        }
        String uiUser = a.string("ui-user", null);
        String session = uiUser == null ? null : Ui.login(http, uiUser, a.required("ui-password"));
        log.printf("reconcile: %d hosts, concurrency %d; read back as %s%n", state.hosts, concurrency,
                session == null ? "each host, with its own certificate" : "UI user " + uiUser);

        long start = System.currentTimeMillis();
        long deadline = start + maxSeconds * 1000L;
        Tally tally = new Tally(start);
        List<LabFleet.Host> hosts = fleet.hosts();
        Map<Integer, Outcome> sent = new HashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try (CsvLog attempts = new CsvLog(out.resolve("attempts.csv"), ReportSender.ATTEMPTS_HEADER);
             CsvLog reports = new CsvLog(out.resolve("reports.csv"), ReportSender.REPORTS_HEADER)) {
            ReportSender sender = new ReportSender(http, pki, tally, attempts, reports);
            List<Future<Outcome>> sends = new ArrayList<>();
            for (LabFleet.Host host : hosts) {
                sends.add(pool.submit(() -> {
                    if (System.currentTimeMillis() >= deadline) {
                        return new Outcome(host, state.last(host.index()), null, List.of("reconcile report not sent: --max-seconds reached"));
                    }
                    int k = state.next(host.index());
                    byte[] body = Reports.body(fleet, host, k, Reports.Type.FULL);
                    long hostDeadline = Math.min(deadline, System.currentTimeMillis() + HOST_BUDGET_MILLIS);
                    return new Outcome(host, k, sender.send(host, k, Reports.Type.FULL, body, Integer.MAX_VALUE, hostDeadline), List.of());
                }));
            }
            for (Future<Outcome> f : sends) {
                Outcome o = f.get();
                sent.put(o.host().index(), o);
            }
        } finally {
            state.save(hosts);
        }
        long acknowledged = sent.values().stream().filter(o -> o.sent() != null && o.sent().ok()).count();
        log.printf("Reconcile reports: %d/%d acknowledged; %s%n", acknowledged, hosts.size(), tally.progress());

        List<Future<Outcome>> reads = new ArrayList<>();
        for (LabFleet.Host host : hosts) {
            Outcome o = sent.get(host.index());
            reads.add(pool.submit(() -> {
                List<String> differences = new ArrayList<>(o.differences());
                if (o.sent() != null && !o.sent().ok()) {
                    differences.add("reconcile report k=" + o.k() + " not acknowledged: last status " + o.sent().status() + " " + o.sent().detail());
                }
                if (o.sent() != null) {
                    differences.addAll(check(http, pki, session, host, Reports.fullState(fleet, host, o.k())));
                }
                return new Outcome(host, o.k(), o.sent(), differences);
            }));
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Future<Outcome> f : reads) {
            outcomes.add(f.get());
        }
        pool.shutdown();

        List<Outcome> mismatched = outcomes.stream().filter(o -> !o.differences().isEmpty()).toList();
        List<Object> shown = new ArrayList<>();
        for (Outcome o : mismatched.subList(0, Math.min(SHOWN, mismatched.size()))) {
            List<String> first = o.differences().subList(0, Math.min(5, o.differences().size()));
            shown.add(Map.of("host", o.host().fqdn(), "k", o.k(), "differences", o.differences().size(), "first", first));
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("command", "reconcile");
        summary.put("started", Instant.ofEpochMilli(start).toString());
        summary.put("server", server.toString());
        summary.put("hosts", hosts.size());
        summary.put("read_as", session == null ? "host certificate" : "ui user " + uiUser);
        summary.put("hosts_matching", hosts.size() - mismatched.size());
        summary.put("hosts_mismatched", mismatched.size());
        summary.put("mismatches", shown);
        summary.put("reports", tally.summary(System.currentTimeMillis()));
        LabDriver.writeJson(out.resolve("reconcile-summary.json"), summary, log);
        if (!tally.passed()) {
            log.println("reconcile: statuses outside 201 and 503 with Retry-After (I5): " + tally.progress());
        }
        for (Outcome o : mismatched.subList(0, Math.min(SHOWN, mismatched.size()))) {
            log.printf("  %s (k=%d, %d differences): %s%n", o.host().fqdn(), o.k(), o.differences().size(),
                    String.join("; ", o.differences().subList(0, Math.min(5, o.differences().size()))));
        }
        // The last line, which lab/faults.sh quotes.
        log.printf("I1: %d/%d hosts match%n", hosts.size() - mismatched.size(), hosts.size());
        return mismatched.isEmpty() && tally.passed() ? 0 : 1;
    }

    /** Reads the host back and compares it with the state its reconcile report set. */
    private static List<String> check(LabHttp http, LabFleet.Pki pki, String session, LabFleet.Host host, List<Pkg> expected)
            throws InterruptedException {
        KeyManager key = session == null ? LabHttp.clientKey(pki, host.fqdn()) : null;
        List<String> headers = session == null ? List.of("Accept: application/json")
                : List.of("Accept: application/json", "Cookie: " + Ui.SESSION_COOKIE + "=" + session);
        Map<String, Object> first = null;
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int page = 1; ; page++) {
            String path = "/hosts/" + host.fqdn() + "?format=json&sort=name&size=" + PAGE_SIZE + "&page=" + page;
            try {
                Map<String, Object> json = read(http, key, headers, path);
                first = first == null ? json : first;
                Map<String, Object> table = map(json.get("packages"));
                List<Map<String, Object>> items = list(table.get("items"));
                rows.addAll(items);
                if (items.isEmpty() || rows.size() >= ((Number) table.get("total")).intValue()) {
                    break;
                }
            } catch (IOException | RuntimeException e) {
                return List.of("read failed: GET " + path + ": " + e.getMessage());
            }
        }
        return differences(host, expected, first, rows);
    }

    /** One page's JSON, with the load's retries on connection errors and 503s; any other status fails. */
    private static Map<String, Object> read(LabHttp http, KeyManager key, List<String> headers, String path)
            throws IOException, InterruptedException {
        long retryAfter = -1;
        for (int retry = 0; ; retry++) {
            if (retry > 0) {
                Thread.sleep(Retry.waitMillis(retry, retryAfter));
            }
            int status;
            String problem;
            try {
                LabHttp.Answer answer = http.send(key, "GET", path, headers, null);
                if (answer.status() == 200) {
                    return map(LabFleet.parseJson(answer.body()));
                }
                status = answer.status();
                problem = "HTTP " + status + " " + ReportSender.abbreviate(answer.body());
                retryAfter = Retry.retryAfterSeconds(answer.header("Retry-After"));
            } catch (IOException | java.security.GeneralSecurityException e) {
                status = -1;
                problem = e.toString();
                retryAfter = -1;
            }
            if (!Retry.retryable(status) || retry >= Retry.MAX_RETRIES) {
                throw new IOException(problem);
            }
        }
    }

    /**
     * @param summary the host page's JSON (its first page)
     * @param rows    the items of every page of its {@code packages} table
     * @return what differs from the state {@code expected} describes, the marker and tagged packages first
     */
    static List<String> differences(LabFleet.Host host, List<Pkg> expected, Map<String, Object> summary, List<Map<String, Object>> rows) {
        List<String> out = new ArrayList<>();
        compare(out, "os", host.os(), summary.get("os"));
        compare(out, "kernel", host.kernelVersion(), summary.get("kernel"));
        compare(out, "kernel_release", host.kernelRelease(), summary.get("kernel_release"));
        Map<String, Map<String, Object>> actual = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) {
            if (actual.put((String) row.get("name"), row) != null) {
                out.add(row.get("name") + ": listed twice");
            }
        }
        List<Pkg> ordered = new ArrayList<>(expected);
        ordered.sort(Comparator.comparing((Pkg p) -> !p.name().startsWith("zz-dm-")).thenComparing(Pkg::name));
        for (Pkg p : ordered) {
            Map<String, Object> row = actual.remove(p.name());
            if (row == null) {
                out.add(p.name() + ": missing (expected " + p.version() + ")");
                continue;
            }
            compare(out, p.name() + " version", p.version(), row.get("version"));
            compare(out, p.name() + " upgrade", p.upgrade(), row.get("upgrade"));
            compare(out, p.name() + " upgrade_type", p.upgrade() != null && p.security() ? "security" : null, row.get("upgrade_type"));
        }
        for (Map<String, Object> row : actual.values()) {
            out.add(row.get("name") + ": not expected (installed " + row.get("version") + ")");
        }
        return out;
    }

    private static void compare(List<String> out, String what, String expected, Object actual) {
        Object got = "".equals(actual) ? null : actual;
        if (!Objects.equals(expected, got)) {
            out.add(what + ": " + got + ", expected " + expected);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object json) {
        if (!(json instanceof Map)) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        return (Map<String, Object>) json;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object json) {
        if (!(json instanceof List)) {
            throw new IllegalArgumentException("expected a JSON array");
        }
        return (List<Map<String, Object>>) json;
    }
}
