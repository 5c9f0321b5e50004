package io.debmonitor.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.ClassRule;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Package history through the booted distribution (issue #13): reports of each update type over
 * mutual TLS, then the host's history tab, its state as of each moment in between and the
 * package's rollout, all as JSON. Part of {@link WebUiIT}, on H2 and MariaDB.
 */
public class UiHistoryCheck {

    @ClassRule
    public static final UiDistribution UI = UiDistribution.shared();

    private static final String HOST = "history-check.eqiad.example.org";

    /** A report on the fleet's own OS and kernel, so that the pages' fleet-wide counts (kernels, OSes) stay the seeded ones. */
    private static String report(String type, String installed, String uninstalled, String upgradable) {
        return "{\"api_version\": \"v1\", \"os\": \"Debian 12\", \"hostname\": \"" + HOST + "\", \"update_type\": \"" + type + "\","
                + " \"running_kernel\": {\"release\": \"6.1.0-18-amd64\", \"version\": \"" + Fleet.KERNEL_12 + "\"},"
                + " \"installed\": [" + installed + "], \"uninstalled\": [" + uninstalled + "], \"upgradable\": [" + upgradable + "]}";
    }

    private static String pkg(String name, String version) {
        return "{\"name\": \"" + name + "\", \"version\": \"" + version + "\", \"source\": \"" + name + "\"}";
    }

    private static String upgrade(String name, String from, String to, String type) {
        return "{\"name\": \"" + name + "\", \"version_from\": \"" + from + "\", \"version_to\": \"" + to + "\", \"source\": \"" + name
                + "\", \"type\": \"" + type + "\"}";
    }

    private static void post(String body) throws Exception {
        HttpResponse<String> response = UI.send(UI.proxy(), "POST", UI.httpsUrl("/hosts/" + HOST + "/update"), body,
                "Content-Type", "application/json");
        assertEquals(response.body(), 201, response.statusCode());
    }

    /** A time after everything stored so far, once the server's clock (this machine's) has passed it. */
    private static Instant stamp() {
        Instant stamp = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        while (!Instant.now().truncatedTo(ChronoUnit.MILLIS).isAfter(stamp)) {
            Thread.onSpinWait();
        }
        return stamp;
    }

    private static List<String> rows(JsonNode table) {
        List<String> rows = new ArrayList<>();
        for (JsonNode item : table.get("items")) {
            rows.add(item.get("name").asText() + "=" + item.get("version").asText()
                    + (item.get("upgrade").isNull() ? "" : ">" + item.get("upgrade").asText()));
        }
        return rows;
    }

    @Test
    public void historyAsOfAndRolloutFollowTheReports() throws Exception {
        Instant before = stamp();
        Map<Instant, List<String>> states = new LinkedHashMap<>();
        for (String body : List.of(
                report("full", pkg("histlib", "1.0-1") + ", " + pkg("histtool", "2.0-1"), "", upgrade("histlib", "1.0-1", "1.0-2", "security")),
                report("full", pkg("histlib", "1.0-1") + ", " + pkg("histtool", "2.0-1"), "", upgrade("histlib", "1.0-1", "1.0-2", "security")),
                report("dpkg_hook", pkg("histlib", "1.0-2") + ", " + pkg("histnew", "0.1"), "{\"name\": \"histtool\"}", ""),
                report("upgradable", "", "", upgrade("histnew", "0.1", "0.2", "regular")))) {
            post(body);
            states.put(stamp(), rows(UI.json(UI.proxy(), "/hosts/" + HOST + "?size=100").get("packages")));
        }

        JsonNode history = UI.json(UI.proxy(), "/hosts/" + HOST + "?tab=history").get("history");
        List<String> events = new ArrayList<>();
        for (JsonNode event : history.get("items")) {
            events.add(event.get("event").asText() + " " + event.get("package").asText() + " " + event.get("update_type").asText());
        }
        // Newest first (one report's events in reverse package order); the unchanged full report
        // recorded nothing, the first one a baseline only.
        assertEquals(List.of("upgrade_offered histnew upgradable", "removed histtool dpkg_hook", "installed histnew dpkg_hook",
                "upgraded histlib dpkg_hook", "baseline null full"), events);

        for (Map.Entry<Instant, List<String>> state : states.entrySet()) {
            JsonNode asOf = UI.json(UI.proxy(), "/hosts/" + HOST + "?size=100&as_of=" + state.getKey());
            assertTrue(asOf.get("known").asBoolean());
            assertEquals("as of " + state.getKey(), state.getValue(), rows(asOf.get("packages")));
        }
        JsonNode unknown = UI.json(UI.proxy(), "/hosts/" + HOST + "?as_of=" + before);
        assertFalse(unknown.get("known").asBoolean());
        assertEquals(0, unknown.get("packages").get("total").asInt());

        JsonNode rollout = UI.json(UI.proxy(), "/packages/histlib?tab=rollout&days=3");
        assertEquals("[\"1.0-2\"]", rollout.get("versions").toString());
        assertEquals(1, rollout.get("rollout").get(2).get("versions").get("1.0-2").asInt());
        assertEquals(3, rollout.get("rollout").size());
        HttpResponse<String> page = UI.get(UI.proxy(), "/packages/histlib?tab=rollout", "Accept", "text/html");
        assertEquals(200, page.statusCode());
        assertTrue(page.body(), page.body().contains("<svg class=\"chart\""));

        UiPagesCheck.assertJsonError(400, UI.get(UI.proxy(), "/hosts/" + HOST + "?format=json&as_of=tomorrow"));
        UiPagesCheck.assertJsonError(400, UI.get(UI.proxy(), "/packages/histlib?format=json&tab=rollout&days=0"));
        // Deleting the host deletes its history: the rollout no longer counts it.
        assertEquals(204, UI.send(UI.proxy(), "DELETE", UI.httpsUrl("/hosts/" + HOST), null).statusCode());
        assertEquals(404, UI.get(UI.proxy(), "/packages/histlib?format=json&tab=rollout").statusCode());
    }
}
