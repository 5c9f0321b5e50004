package io.debmonitor.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import javax.inject.Inject;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import io.debmonitor.core.model.api.GarbageCollectionService;

/**
 * {@code /metrics} of the booted distribution (issue #13): scraped after reports, refused reports
 * and a GC run, checked by {@code promtool check metrics} and parsed by python3-prometheus-client's
 * parser (both Debian packages), its counters compared with what the test did; the allow-list; and
 * the shipped alert rules through {@code promtool check rules}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MetricsIT extends ItestSupport {

    private static final String PARSE = String.join("\n",
            "import sys",
            "from prometheus_client.parser import text_string_to_metric_families",
            "for family in text_string_to_metric_families(sys.stdin.read()):",
            "    for s in family.samples:",
            "        labels = ','.join('%s=\"%s\"' % (k, v) for k, v in sorted(s.labels.items()))",
            "        print('%s{%s} %r' % (s.name, labels, s.value))");

    @Inject
    @Filter(timeout = 120_000)
    protected GarbageCollectionService gc;

    @Inject
    protected ConfigurationAdmin configurationAdmin;

    /**
     * The suite's 127.0.0.1 is a trusted proxy (it vouches for identities over plain HTTP), so by the
     * allow-list's rule it never passes by address: the test scrapes as the host proxy's identity.
     */
    @Before
    public void ready() throws Exception {
        awaitServer();
        // Updated, never deleted: a deletion re-activates the component asynchronously.
        Dictionary<String, Object> settings = new Hashtable<>();
        settings.put("allowedAddresses", "127.0.0.1, ::1");
        settings.put("allowedIdentities", PROXY);
        configurationAdmin.getConfiguration("io.debmonitor.metrics", null).update(settings);
        awaitStatus(200, () -> send("GET", "/metrics", null));
    }

    @Test
    public void countersFollowReportsRefusalsAndGc() throws Exception {
        Map<String, Double> before = scrape();
        String host = uniqueHost();
        String full = "{\"os\": \"Debian 12\", \"update_type\": \"full\", \"hostname\": \"" + host + "\","
                + " \"running_kernel\": {\"version\": \"#1 SMP\"}, \"installed\": [{\"name\": \"a\", \"version\": \"1\", \"source\": \"a\"},"
                + " {\"name\": \"b\", \"version\": \"1\", \"source\": \"b\"}]}";
        assertEquals(201, post("/hosts/" + host + "/update", full).statusCode());
        assertEquals(201, post("/hosts/" + host + "/update", full).statusCode());
        assertEquals(201, post("/hosts/" + host + "/update", full.replace("\"full\"", "\"dpkg_hook\"")
                .replace("\"version\": \"1\", \"source\": \"a\"", "\"version\": \"2\", \"source\": \"a\"")).statusCode());
        assertEquals(400, post("/hosts/" + host + "/update", "{not json").statusCode());
        assertEquals(404, send("DELETE", "/hosts/never-reported.example.org", null).statusCode());
        gc.run("itest", false);

        Map<String, Double> after = scrape();
        assertEquals(2.0, delta(before, after, "debmonitor_requests_total{source=\"hosts\",status=\"2xx\",update_type=\"full\"}"), 0);
        assertEquals(1.0, delta(before, after, "debmonitor_requests_total{source=\"hosts\",status=\"2xx\",update_type=\"dpkg_hook\"}"), 0);
        assertEquals(1.0, delta(before, after, "debmonitor_requests_total{source=\"hosts\",status=\"4xx\",update_type=\"unknown\"}"), 0);
        assertEquals(1.0, delta(before, after, "debmonitor_requests_total{source=\"hosts\",status=\"4xx\",update_type=\"delete\"}"), 0);
        assertEquals(5.0, delta(before, after, "debmonitor_request_duration_seconds_count{source=\"hosts\"}"), 0);
        // Two rows inserted, none for the unchanged report, one updated by the dpkg hook.
        assertEquals(3.0, delta(before, after, "debmonitor_rows_written_total{kind=\"host\"}"), 0);
        assertEquals(3.0, delta(before, after, "debmonitor_reports_applied_total{kind=\"host\"}"), 0);
        // The first report's baseline and the dpkg hook's upgrade of a.
        assertEquals(2.0, delta(before, after, "debmonitor_history_events_total{kind=\"host\"}"), 0);
        assertEquals(1.0, delta(before, after, "debmonitor_gc_runs_total{}"), 0);
        assertEquals(count("select count(*) from host"), after.get("debmonitor_entities{kind=\"host\"}"), 0);
        assertTrue(after.keySet().stream().anyMatch(sample -> sample.startsWith("jvm_memory_used_bytes{")));
    }

    @Test
    public void onlyTheAllowListMayScrape() throws Exception {
        // 127.0.0.1 is listed, but it is a trusted proxy: what it forwards passes only by identity.
        assertJsonError(403, send(http, baseUrl(), "GET", "/metrics", null));
        assertEquals(200, send("GET", "/metrics", null).statusCode());

        Configuration config = configurationAdmin.getConfiguration("io.debmonitor.metrics", null);
        Dictionary<String, Object> restricted = new Hashtable<>();
        restricted.put("allowedAddresses", "192.0.2.0/24");
        restricted.put("allowedIdentities", "prometheus.example.org");
        config.update(restricted);
        try {
            // The host proxy's identity is no longer listed; the scraper's is.
            assertJsonError(403, awaitStatus(403, () -> send("GET", "/metrics", null)));
            assertEquals(200, send(http, baseUrl(), "GET", "/metrics", null, "X-Client-Cert-Verify", "SUCCESS",
                    "X-Client-Cert-Subject-DN", "CN=prometheus.example.org,O=itest").statusCode());
        } finally {
            ready();
        }
    }

    @Test
    public void theShippedAlertRulesPassPromtool() throws Exception {
        File rules = new File(System.getProperty("itest.docs.dir"), "monitoring/prometheus-alerts.yml");
        assertTrue(rules.getPath(), rules.isFile());
        Result result = run(null, "promtool", "check", "rules", rules.getPath());
        assertEquals(result.output, 0, result.exit);
        // The rules' own unit tests (docs/monitoring/prometheus-alerts.test.yml): each alert fires when it should.
        Result tests = run(null, "promtool", "test", "rules", new File(rules.getParentFile(), "prometheus-alerts.test.yml").getPath());
        assertEquals(tests.output, 0, tests.exit);
    }

    // --- helpers ------------------------------------------------------------------------------

    private interface Request {
        HttpResponse<String> send() throws Exception;
    }

    /** Configuration changes apply asynchronously: waits up to 10 s for the status. */
    private static HttpResponse<String> awaitStatus(int status, Request request) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        HttpResponse<String> response = request.send();
        while (response.statusCode() != status && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            response = request.send();
        }
        assertEquals(response.body(), status, response.statusCode());
        return response;
    }

    /** Scrapes with the host proxy's identity (allowed in ready()), checks the text with promtool, and parses it. */
    private Map<String, Double> scrape() throws Exception {
        HttpResponse<String> response = send("GET", "/metrics", null);
        assertEquals(response.body(), 200, response.statusCode());
        String type = response.headers().firstValue("Content-Type").orElse("").replace(" ", "");
        assertTrue(type, type.startsWith("text/plain;") && type.contains("version=0.0.4"));
        Result lint = run(response.body(), "promtool", "check", "metrics");
        assertEquals(lint.output, 0, lint.exit);
        // Debian's python3, whose dist-packages hold python3-prometheus-client (not another python3 on the PATH).
        Result parsed = run(response.body(), "/usr/bin/python3", "-c", PARSE);
        assertEquals(parsed.output, 0, parsed.exit);
        Map<String, Double> samples = new HashMap<>();
        for (String line : parsed.output.split("\n")) {
            int space = line.lastIndexOf(' ');
            if (space > 0) {
                samples.put(line.substring(0, space), Double.valueOf(line.substring(space + 1)));
            }
        }
        return samples;
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String sample) {
        assertTrue(sample + " not in " + after.keySet(), after.containsKey(sample));
        return after.get(sample) - before.getOrDefault(sample, 0.0);
    }

    private double count(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private record Result(int exit, String output) {
    }

    private static Result run(String input, String... command) throws Exception {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        if (input != null) {
            process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return new Result(process.exitValue(), output);
    }
}
