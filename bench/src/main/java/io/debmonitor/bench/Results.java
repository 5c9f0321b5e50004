package io.debmonitor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The end-of-run table and the JSON results file. */
final class Results {

    private Results() {
    }

    static String header() {
        return String.format(Locale.ROOT, "%-15s %8s %7s %8s %9s %8s %8s %8s %8s %7s %8s   %s",
                "phase", "reports", "errors", "wall s", "reports/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "tls ms", "avg KiB",
                "CPU ms/report: gen srv db");
    }

    static String row(Stats.Summary s) {
        return String.format(Locale.ROOT, "%-15s %8d %7d %8.1f %9.2f %8.1f %8.1f %8.1f %8.1f %7.1f %8.1f   %s %s %s",
                s.phase(), s.count(), s.errors(), s.wallSeconds(), rate(s), s.p50(), s.p95(), s.p99(), s.max(),
                s.tlsHandshakeMean(), s.count() == 0 ? 0.0 : s.requestBytes() / 1024.0 / s.count(),
                cpu(s, CpuMeter.LOAD_GENERATOR), cpu(s, CpuMeter.SERVER), cpu(s, CpuMeter.DATABASE));
    }

    private static String cpu(Stats.Summary s, String process) {
        Double ms = s.cpuMsPerReport().get(process);
        return ms == null ? "-" : String.format(Locale.ROOT, "%.2f", ms);
    }

    static Map<String, Object> phase(Stats.Summary s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", s.phase());
        out.put("reports", s.count());
        out.put("errors", s.errors());
        out.put("error_statuses", errorStatuses(s));
        out.put("error_samples", s.errorSamples());
        out.put("wall_seconds", s.wallSeconds());
        out.put("reports_per_second", rate(s));
        out.put("latency_ms", latency(s));
        out.put("tls_handshake_ms_mean", s.tlsHandshakeMean());
        out.put("request_bytes", s.requestBytes());
        out.put("cpu_ms_per_report", s.cpuMsPerReport());
        return out;
    }

    static String pageHeader(int width) {
        return String.format(Locale.ROOT, "%-" + width + "s %-4s %8s %7s %8s %9s %8s %8s %8s %8s %6s %8s   %s",
                "page", "fmt", "requests", "errors", "wall s", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "conns", "avg KiB",
                "CPU ms/request: gen srv db");
    }

    /** {@code avg KiB} is the size of the response bodies; {@code conns} the connections opened while measuring. */
    static String pageRow(PagesPhase.Measured m, int width) {
        Stats.Summary s = m.summary();
        return String.format(Locale.ROOT, "%-" + width + "s %-4s %8d %7d %8.1f %9.2f %8.1f %8.1f %8.1f %8.1f %6d %8.1f   %s %s %s",
                m.label(), m.format(), s.count(), s.errors(), s.wallSeconds(), rate(s), s.p50(), s.p95(), s.p99(), s.max(),
                m.connections(), s.count() == 0 ? 0.0 : s.requestBytes() / 1024.0 / s.count(),
                cpu(s, CpuMeter.LOAD_GENERATOR), cpu(s, CpuMeter.SERVER), cpu(s, CpuMeter.DATABASE));
    }

    /** The pages phase: its overall figures, then one entry per URL. Its byte counts are of response bodies. */
    static Map<String, Object> pagesPhase(PagesPhase.Result result, int requestsPerUrl, int concurrency, String identity) {
        Stats.Summary s = result.overall();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", s.phase());
        out.put("requests", s.count());
        out.put("errors", s.errors());
        out.put("error_statuses", errorStatuses(s));
        out.put("error_samples", s.errorSamples());
        out.put("wall_seconds", s.wallSeconds());
        out.put("requests_per_second", rate(s));
        out.put("latency_ms", latency(s));
        out.put("tls_handshake_ms_mean", s.tlsHandshakeMean());
        out.put("response_bytes", s.requestBytes());
        out.put("cpu_ms_per_request", s.cpuMsPerReport());
        out.put("requests_per_url", requestsPerUrl);
        out.put("concurrency", concurrency);
        out.put("keep_alive", true);
        out.put("client_certificate", identity);
        out.put("pages", result.pages().stream().map(Results::page).toList());
        return out;
    }

    private static Map<String, Object> page(PagesPhase.Measured m) {
        Stats.Summary s = m.summary();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("page", m.label());
        out.put("format", m.format());
        out.put("path", m.path());
        out.put("requests", s.count());
        out.put("errors", s.errors());
        out.put("error_statuses", errorStatuses(s));
        out.put("error_samples", s.errorSamples());
        out.put("wall_seconds", s.wallSeconds());
        out.put("requests_per_second", rate(s));
        out.put("latency_ms", latency(s));
        out.put("response_bytes_mean", s.count() == 0 ? null : (double) s.requestBytes() / s.count());
        out.put("connections_opened", m.connections());
        out.put("cpu_ms_per_request", s.cpuMsPerReport());
        return out;
    }

    private static Map<String, Object> latency(Stats.Summary s) {
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("p50", s.p50());
        latency.put("p95", s.p95());
        latency.put("p99", s.p99());
        latency.put("max", s.max());
        latency.put("mean", s.mean());
        return latency;
    }

    private static Map<String, Object> errorStatuses(Stats.Summary s) {
        Map<String, Object> statuses = new LinkedHashMap<>();
        s.errorStatuses().forEach((status, n) -> statuses.put(String.valueOf(status), n));
        return statuses;
    }

    /** A page that failed its first request was not measured: it has no rate. */
    private static double rate(Stats.Summary s) {
        return s.wallSeconds() > 0 ? s.rate() : Double.NaN;
    }

    /** The 1, 5 and 15 minute load averages, or null where /proc/loadavg is missing. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The CPU, core count, memory and OS of this machine, from /proc where Linux has it. */
    static Map<String, Object> machine(String loadAtStart) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cpu_model", procField("/proc/cpuinfo", "model name"));
        out.put("nproc", Runtime.getRuntime().availableProcessors());
        String memory = procField("/proc/meminfo", "MemTotal");
        out.put("memory_total", memory);
        out.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        // Other work on the machine skews results; the load average shows whether there was any.
        out.put("load_average_start", loadAtStart);
        out.put("load_average_end", loadAverage());
        return out;
    }

    static Map<String, Object> java() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", System.getProperty("java.version"));
        out.put("vendor", System.getProperty("java.vendor"));
        out.put("vm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        out.put("max_heap_mib", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        return out;
    }

    private static String procField(String file, String key) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                    return line.substring(colon + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: report it as unknown
        }
        return null;
    }

    static void table(List<Stats.Summary> summaries, java.io.PrintStream out) {
        out.println(header());
        for (Stats.Summary s : summaries) {
            out.println(row(s));
        }
    }

    static void write(Path file, Map<String, Object> results) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, Json.pretty(results));
    }
}
