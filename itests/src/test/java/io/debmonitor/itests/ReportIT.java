package io.debmonitor.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import javax.inject.Inject;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;
import org.osgi.framework.Bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.debmonitor.core.model.api.AuditAction;
import io.debmonitor.core.model.api.AuditEventDTO;
import io.debmonitor.core.model.api.AuditFilter;
import io.debmonitor.core.model.api.AuditService;
import io.debmonitor.core.model.api.PageRequest;

/** Host reports and deletes over real HTTP against the assembled distribution (SPEC §1). */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ReportIT extends ItestSupport {

    @Inject
    @Filter(timeout = 120_000)
    protected AuditService audit;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Before
    public void ready() throws Exception {
        awaitServer();
    }

    @Test
    public void everyBundleOfTheDistributionIsActive() {
        List<String> notActive = new ArrayList<>();
        for (Bundle bundle : bundleContext.getBundles()) {
            boolean fragment = bundle.getHeaders().get("Fragment-Host") != null;
            if (bundle.getState() != Bundle.ACTIVE && !(fragment && bundle.getState() == Bundle.RESOLVED)) {
                notActive.add(bundle.getSymbolicName() + " state " + bundle.getState());
            }
        }
        assertEquals(List.of(), notActive);
        for (String name : List.of("io.debmonitor.fallback", "io.debmonitor.core.model", "io.debmonitor.rest", "io.debmonitor.ui", "io.debmonitor.shell", "io.debmonitor.source.dpkg", "io.debmonitor.source.docker", "io.debmonitor.gc", "io.debmonitor.metrics")) {
            assertNotNull(name, bundle(name));
        }
    }

    /** The existing client's three payloads, replayed for a fresh host, are stored as SPEC §1.6 says. */
    @Test
    public void existingClientPayloadsAreStored() throws Exception {
        String host = uniqueHost();
        JsonNode full = withHostname(fixture("full.json"), host);
        assertEquals(201, post("/hosts/" + host + "/update", full.toString()).statusCode());
        Set<String> expected = new TreeSet<>();
        full.get("installed").forEach(item -> expected.add(item.get("name").asText()));
        full.get("upgradable").forEach(item -> expected.add(item.get("name").asText()));
        List<String> stored = rows(host);
        assertEquals(expected.size(), stored.size());
        long upgrades = stored.stream().filter(row -> row.contains(">")).count();
        assertEquals(full.get("upgradable").size(), upgrades);

        JsonNode upgradable = withHostname(fixture("upgradable.json"), host);
        assertEquals(201, post("/hosts/" + host + "/update", upgradable.toString()).statusCode());
        for (JsonNode item : upgradable.get("upgradable")) {
            String name = item.get("name").asText();
            assertTrue(name, rows(host).stream().anyMatch(row -> row.startsWith(name + ":") && row.contains(">" + item.get("version_to").asText())));
        }

        JsonNode hook = withHostname(fixture("dpkg_hook.json"), host);
        assertEquals(201, post("/hosts/" + host + "/update", hook.toString()).statusCode());
        List<String> after = rows(host);
        for (JsonNode item : hook.get("installed")) {
            assertTrue(item.toString(), after.contains(item.get("name").asText() + ":" + item.get("version").asText()));
        }
        for (JsonNode item : hook.get("uninstalled")) {
            assertTrue(item.toString(), after.stream().noneMatch(row -> row.startsWith(item.get("name").asText() + ":")));
        }
    }

    /** The scenario table of SPEC §1.6 over HTTP. */
    @Test
    public void scenarioTable() throws Exception {
        String h = uniqueHost();
        report(h, "full", "[{'name':'a','version':'1','source':'a'},{'name':'b','version':'1','source':'b'},{'name':'c','version':'1','source':'c'}]",
                "[]", "[{'name':'a','version_from':'1','version_to':'2','source':'a'}]");
        assertEquals(List.of("a:1>2", "b:1", "c:1"), rows(h));
        report(h, "upgradable", "[]", "[]", "[{'name':'a','version_from':'1','version_to':'3','source':'a'},"
                + "{'name':'b','version_from':'1','version_to':'2','source':'b'},{'name':'d','version_from':'4','version_to':'5','source':'d'}]");
        assertEquals(List.of("a:1>3", "b:1>2", "c:1", "d:4>5"), rows(h));
        report(h, "dpkg_hook", "[{'name':'a','version':'3','source':'a'},{'name':'e','version':'1','source':'e'}]",
                "[{'name':'b','version':'1','source':'b'},{'name':'x'}]", "[]");
        assertEquals(List.of("a:3", "c:1", "d:4>5", "e:1"), rows(h));
        report(h, "upgradable", "[]", "[]", "[{'name':'c','version_from':'1','version_to':'1','source':'c'}]");
        assertEquals(List.of("a:3", "c:1", "d:4>5", "e:1"), rows(h));
        report(h, "full", "[{'name':'a','version':'3','source':'a'},{'name':'e','version':'1','source':'e'}]", "[]",
                "[{'name':'e','version_from':'1','version_to':'2','source':'e','type':'security'}]");
        assertEquals(List.of("a:3", "e:1>2 security"), rows(h));
        report(h, "full", "[{'name':'a','version':'3','source':'a'},{'name':'e','version':'1','source':'e'}]", "[]", "[]");
        assertEquals(List.of("a:3", "e:1"), rows(h));
    }

    @Test
    public void deleteRemovesTheHostThenAnswers404() throws Exception {
        String h = uniqueHost();
        report(h, "full", "[{'name':'a','version':'1','source':'a'}]", "[]", "[]");
        HttpResponse<String> deleted = send("DELETE", "/hosts/" + h, null);
        assertEquals(204, deleted.statusCode());
        assertEquals("", deleted.body());
        assertEquals(List.of(), rows(h));
        assertJsonError(404, send("DELETE", "/hosts/" + h, null));
        List<AuditEventDTO> removals = audit.list(new AuditFilter(AuditAction.HOST_REMOVED, null), PageRequest.first(100)).items().stream()
                .filter(e -> h.equals(e.target())).toList();
        assertEquals("one audit event for the one removal: " + removals, 1, removals.size());
        assertEquals("cert:" + PROXY, removals.get(0).actor());
    }

    private void report(String host, String type, String installed, String uninstalled, String upgradable) throws Exception {
        String body = ("{'api_version':'v1','os':'Debian 12','update_type':'" + type + "','hostname':'" + host + "',"
                + "'running_kernel':{'release':'6.1.0-18-amd64','version':'#1 SMP Debian 6.1.76-1'},"
                + "'installed':" + installed + ",'uninstalled':" + uninstalled + ",'upgradable':" + upgradable + "}").replace('\'', '"');
        HttpResponse<String> response = post("/hosts/" + host + "/update", body);
        assertEquals(response.body(), 201, response.statusCode());
        assertEquals("", response.body());
    }

    private static JsonNode withHostname(byte[] payload, String host) throws Exception {
        ObjectNode node = (ObjectNode) JSON.readTree(payload);
        node.put("hostname", host);
        return node;
    }

    /**
     * The UI is its own bundle: stopping it takes its pages away (the application is rebuilt
     * without them) while host reports keep being stored, and starting it brings them back.
     */
    @Test
    public void theUiStopsAndStartsWithoutTouchingIngest() throws Exception {
        String host = uniqueHost();
        byte[] report = withHostname(fixture("full.json"), host).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Bundle ui = bundle("io.debmonitor.ui");
        assertEquals(200, awaitStatus("/hosts/?format=json", 200));
        ui.stop();
        try {
            assertEquals(201, send("POST", "/hosts/" + host + "/update", report).statusCode());
            assertEquals(404, awaitStatus("/hosts/?format=json", 404));
            assertEquals(201, send("POST", "/hosts/" + host + "/update", report).statusCode());
        } finally {
            ui.start();
        }
        assertEquals(200, awaitStatus("/hosts/" + host + "?format=json", 200));
        assertEquals(201, send("POST", "/hosts/" + host + "/update", report).statusCode());
    }

    /** Polls a GET until it answers {@code status} (the application is rebuilt asynchronously); returns the last status. */
    private int awaitStatus(String path, int status) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        int last;
        do {
            last = send("GET", path, null).statusCode();
            if (last == status) {
                return last;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(100));
        } while (System.nanoTime() < deadline);
        return last;
    }

    /**
     * While the application bundle is redeployed every path answers 503 with Retry-After (the
     * fallback bundle's default servlet), and while the host source is stopped its reports get 503
     * (an expected source), never 404: clients retry instead of dropping the report.
     */
    @Test
    public void missingComponentsAnswer503NotNotFound() throws Exception {
        String host = uniqueHost();
        byte[] report = withHostname(fixture("full.json"), host).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Bundle source = bundle("io.debmonitor.source.dpkg");
        source.stop();
        try {
            HttpResponse<String> refused = send("POST", "/hosts/" + host + "/update", report);
            assertJsonError(503, refused);
            assertEquals("5", refused.headers().firstValue("Retry-After").orElse(null));
            assertJsonError(404, send("POST", "/no-such-collection/" + host + "/update", report));
        } finally {
            source.start();
        }
        assertEquals(201, awaitPost("/hosts/" + host + "/update", report, 201));

        Bundle rest = bundle("io.debmonitor.rest");
        rest.stop();
        try {
            // While Pax Web removes the application's servlet it rebuilds the context, and for those few
            // milliseconds Jetty's own default servlet answers 404 (seen once in CI); then the fallback answers.
            assertEquals(503, awaitPost("/hosts/" + host + "/update", report, 503));
            HttpResponse<String> refused = send("POST", "/hosts/" + host + "/update", report);
            assertJsonError(503, refused);
            assertEquals("5", refused.headers().firstValue("Retry-After").orElse(null));
            assertEquals(503, send("GET", "/hosts/", null).statusCode());
        } finally {
            rest.start();
        }
        assertEquals(201, awaitPost("/hosts/" + host + "/update", report, 201));
    }

    private int awaitPost(String path, byte[] body, int status) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        int last;
        do {
            last = send("POST", path, body).statusCode();
            if (last == status) {
                return last;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(100));
        } while (System.nanoTime() < deadline);
        return last;
    }
}
