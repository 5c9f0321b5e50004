package io.debmonitor.ui.internal;

import static io.debmonitor.ui.internal.UiTestSupport.NOW;
import static io.debmonitor.ui.internal.UiTestSupport.config;
import static io.debmonitor.ui.internal.UiTestSupport.finding;
import static io.debmonitor.ui.internal.UiTestSupport.get;
import static io.debmonitor.ui.internal.UiTestSupport.getJson;
import static io.debmonitor.ui.internal.UiTestSupport.html;
import static io.debmonitor.ui.internal.UiTestSupport.json;
import static io.debmonitor.ui.internal.UiTestSupport.keys;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.ws.rs.core.Response;
import javax.ws.rs.core.StreamingOutput;

import org.junit.Before;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.debmonitor.core.model.api.CveDashboardDTO;
import io.debmonitor.core.model.api.CveEntityFindingDTO;
import io.debmonitor.core.model.api.CveFilter;
import io.debmonitor.core.model.api.CveFindingDTO;
import io.debmonitor.core.model.api.CveFleetService;
import io.debmonitor.core.model.api.CveIssueDTO;
import io.debmonitor.core.model.api.CveIssueRowDTO;
import io.debmonitor.core.model.api.CveSnapshotDTO;
import io.debmonitor.core.model.api.CveSubState;
import io.debmonitor.core.model.api.CveVerdict;
import io.debmonitor.core.model.api.EntityDTO;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.PageDTO;
import io.debmonitor.core.model.api.PageRequest;

/** {@code /cves/} and {@code /cves/{id}} (CVE.md §11.2, §11.3). */
public class CveResourceTest {

    private static final String CVE = "CVE-2024-9143";
    private static final EntityDTO HOST = new EntityDTO(EntityKind.HOST, "db1.example.org", "Debian 12", "#1 SMP", "6.1.0-18-amd64",
            NOW.minus(Duration.ofDays(40)), NOW.minus(Duration.ofHours(3)), 400, 2, 1, 0);
    private static final EntityDTO IMAGE = new EntityDTO(EntityKind.IMAGE, "registry.example.org/app:1", "Debian 12", null, null,
            NOW.minus(Duration.ofDays(4)), NOW.minus(Duration.ofDays(1)), 120, 0, 0, 0);
    /** The §11.1 keys every finding object has, and those of its explanation. */
    private static final List<String> FINDING_KEYS = List.of("cve", "source", "release", "entity", "kind", "os", "url", "binaries",
            "source_version", "provenance", "base_verdict", "verdict", "sub_state", "counted", "fix", "candidate", "fixed_version",
            "unstable_fixed_version", "urgency", "nvd_derived", "scope", "nodsa", "nodsa_reason", "next_point_update", "advisory", "accepted",
            "first_seen", "events", "explanation");
    private static final String EXPLANATION_KEYS = "state,urgency,installed,rule,elsewhere,upgrade,advisory,data,links";

    private final CveFleetService fleet = mock(CveFleetService.class);
    private final CveResource resource = new CveResource(fleet, UiTestSupport.pages(config()));

    @Before
    public void setUp() {
        when(fleet.dashboard()).thenReturn(dashboard(false, 0));
    }

    private static CveDashboardDTO dashboard(boolean stale, long pending) {
        CveSnapshotDTO feed = new CveSnapshotDTO(2, NOW.minusSeconds(7200), NOW.minusSeconds(7100), "file:/var/tmp/json", null, "ab".repeat(32),
                "active", List.of("bookworm", "sid"), Map.of("bookworm", 40L, "sid", 30L), 0, null, null, null, null);
        return new CveDashboardDTO(Map.of("high", Map.of("fix_available", 1L)), 1, 0, 0, 3, 12, pending, feed, 7100L, stale);
    }

    private static CveIssueRowDTO row() {
        Map<String, Long> states = new LinkedHashMap<>();
        states.put("AFFECTED_FIXED", 2L);
        states.put("WONT_FIX", 1L);
        states.put("NEGLIGIBLE", 1L);
        return new CveIssueRowDTO(CVE, List.of("openssl"), "not yet assigned", 2, 1, 1, states);
    }

    private static CveIssueDTO issue() {
        Map<String, String> repositories = new LinkedHashMap<>();
        repositories.put("bookworm", "3.0.14-1~deb12u2");
        repositories.put("bookworm-security", "3.0.15-1~deb12u1");
        return new CveIssueDTO(CVE, "Issue summary: Calling <EC_GROUP> APIs with explicit parameters may write out of bounds.", null, 1085378L,
                List.of("https://security-tracker.debian.org/tracker/" + CVE, "https://security-tracker.debian.org/tracker/source-package/openssl"),
                List.of(new CveIssueDTO.Debian("openssl", "bookworm", "resolved", "3.0.15-1~deb12u1", "not yet assigned", null, null, false,
                                repositories),
                        new CveIssueDTO.Debian("openssl", "bullseye", "open", null, "low", "Minor issue", "postponed", false,
                                Map.of("bullseye", "1.1.1w-0+deb11u1")),
                        new CveIssueDTO.Debian("openssl", "trixie", "resolved", "0", "unimportant", null, null, false,
                                Map.of("trixie", "3.3.2-2"))));
    }

    private static List<CveEntityFindingDTO> findings() {
        CveFindingDTO onHost = finding(CVE, CveVerdict.AFFECTED_FIXED, null, true, "available").withHistory(NOW.minus(Duration.ofDays(2)),
                List.of(new CveFindingDTO.Event(NOW.minus(Duration.ofDays(2)), "new", null, "NO_FIX_YET"),
                        new CveFindingDTO.Event(NOW.minus(Duration.ofDays(1)), "fix_released", "NO_FIX_YET", "AFFECTED_FIXED")));
        CveFindingDTO inImage = finding(CVE, CveVerdict.AFFECTED_OPEN, CveSubState.WONT_FIX, true, null);
        return List.of(new CveEntityFindingDTO(HOST, onHost), new CveEntityFindingDTO(IMAGE, inImage));
    }

    @Test
    public void theIssueListHasItsSummaryFiltersAndLinks() {
        when(fleet.issues(any(), any())).thenReturn(new PageDTO<>(1, 50, 1, List.of(row())));
        JsonNode json = json(resource.cves(getJson("/cves/?q=ssl&urgency=high&state=WONT_FIX&os=Debian+12&kind=host&include=negligible"
                + "&sort=fixable&dir=desc")));
        verify(fleet).issues(new CveFilter("ssl", "high", "WONT_FIX", "Debian 12", EntityKind.HOST, Set.of("negligible")),
                new PageRequest(1, 50, "fixable", true));
        assertEquals("page,size,total,sort,dir,items,feed,pending,not_assessed", keys(json));
        JsonNode item = json.get("items").get(0);
        assertEquals("cve,url,sources,urgency,hosts,images,fixable,states", keys(item));
        assertEquals("/cves/" + CVE, item.get("url").asText());
        assertEquals("openssl", item.get("sources").get(0).asText());
        assertEquals("not yet assigned", item.get("urgency").asText());
        assertEquals(2, item.get("states").get("AFFECTED_FIXED").asInt());
        assertEquals("imported,last_modified,age_seconds,stale", keys(json.get("feed")));
        assertEquals("2025-07-03T15:11:49.483Z", json.get("feed").get("imported").asText());
        assertTrue(json.get("feed").get("last_modified").isNull());
        assertEquals(7100, json.get("feed").get("age_seconds").asLong());
        assertFalse(json.get("feed").get("stale").asBoolean());
        assertEquals(0, json.get("pending").asInt());
        assertEquals("not_covered,sources", keys(json.get("not_assessed")));
        assertEquals(3, json.get("not_assessed").get("not_covered").asInt());
        assertEquals(12, json.get("not_assessed").get("sources").asInt());
        // Only the default view: no include, no filter.
        json(resource.cves(getJson("/cves/")));
        verify(fleet).issues(CveFilter.DEFAULT, new PageRequest(1, 50, null, false));

        String page = html(resource.cves(get("/cves/?kind=image")));
        assertTrue(page, page.contains("<title>Vulnerabilities - DebMonitor</title>"));
        assertTrue(page, page.contains("<a href=\"/cves/\" aria-current=\"page\">Vulnerabilities</a>"));
        assertTrue(page, page.contains("<a href=\"/cves/" + CVE + "\">" + CVE + "</a>"));
        assertTrue(page, page.contains("<span title=\"Debian: not yet assigned\">untriaged</span>"));
        assertTrue(page, page.contains("<a href=\"/cves/" + CVE + "?kind=host\" title=\"Hosts with this issue\">2</a>"));
        assertTrue(page, page.contains("<a class=\"badge badge-security\" href=\"/cves/" + CVE + "?state=WONT_FIX\" title=\"wont fix on 1 host or image\">"
                + "wont fix 1</a>"));
        assertTrue(page, page.contains("href=\"/cves/" + CVE + "?state=NEGLIGIBLE&include=negligible\""));
        assertTrue(page, page.contains("<option value=\"image\" selected>Images</option>"));
        assertFalse("no fixed findings fleet-wide", page.contains("<option value=\"fixed\""));
        assertTrue(page, page.contains("<dt>Not assessed</dt><dd>12 "));
        assertFalse(page, page.contains("notice-stale"));
        assertFalse(page, page.contains("being refreshed"));
        assertTrue(page, page.contains("<a href=\"/cves/?kind=image&amp;format=csv\" download>CSV</a>"));
        assertEquals(301, resource.cves(get("/cves?q=ssl")).getStatus());
        assertEquals("/cves/?q=ssl", resource.cves(get("/cves?q=ssl")).getHeaderString("Location"));
    }

    @Test
    public void aStaleOrMissingFeedAndPendingRefreshesAreShown() {
        when(fleet.issues(any(), any())).thenReturn(new PageDTO<>(1, 50, 0, List.of()));
        when(fleet.dashboard()).thenReturn(dashboard(true, 4));
        String page = html(resource.cves(get("/cves/")));
        assertTrue(page, page.contains("The Debian Security Tracker feed is stale: last imported <time datetime=\"2025-07-03T15:11:49.483Z\""));
        assertTrue(page, page.contains("Counts are being refreshed: 4 hosts/images pending."));
        assertTrue(page, page.contains("No issue affects the fleet"));
        assertEquals(4, json(resource.cves(getJson("/cves/"))).get("pending").asInt());

        when(fleet.dashboard()).thenReturn(new CveDashboardDTO(Map.of(), 0, 0, 0, 0, 0, 0, null, null, true));
        JsonNode json = json(resource.cves(getJson("/cves/")));
        assertTrue(json.get("feed").get("imported").isNull());
        assertTrue(json.get("feed").get("age_seconds").isNull());
        assertTrue(json.get("feed").get("stale").asBoolean());
        page = html(resource.cves(get("/cves/")));
        assertTrue(page, page.contains("No Debian Security Tracker feed has been imported yet: nothing is assessed."));
    }

    @Test
    public void theListRefusesWhatItCannotShow() {
        when(fleet.issues(any(), any())).thenReturn(new PageDTO<>(1, 50, 0, List.of()));
        assertEquals(CveResource.NO_FIXED, json(resource.cves(getJson("/cves/?include=fixed")), 400).get("error").asText());
        assertTrue(CveResource.NO_FIXED.contains("fixed findings are listed on each host's and image's CVE tab only"));
        String page = html(resource.cves(get("/cves/?include=negligible,fixed")), 400);
        assertTrue(page, page.contains("fixed findings are listed on each host&#39;s and image&#39;s CVE tab only"));
        for (String bad : List.of("state=BAD", "state=affected_fixed", "kind=vm", "include=some", "include=all,x", "sort=name", "sort=modified",
                "dir=up", "page=0", "size=5000", "format=xml")) {
            assertEquals(bad, 400, resource.cves(getJson("/cves/?" + bad)).getStatus());
        }
        verify(fleet, never()).issues(any(), any());
    }

    @Test
    public void theListDownloadsWithoutItsSummary() throws IOException {
        when(fleet.issues(any(), any())).thenReturn(new PageDTO<>(1, 1000, 1, List.of(row())));
        Response response = resource.cves(get("/cves/?format=csv&urgency=high"));
        assertEquals("attachment; filename=\"cves.csv\"", response.getHeaderString("Content-Disposition"));
        String csv = body(response);
        assertEquals("cve,sources,urgency,hosts,images,fixable,states\r\n"
                + CVE + ",\"[\"\"openssl\"\"]\",not yet assigned,2,1,1,\"{\"\"AFFECTED_FIXED\"\":2,\"\"WONT_FIX\"\":1,\"\"NEGLIGIBLE\"\":1}\"\r\n", csv);
        verify(fleet).issues(new CveFilter(null, "high", null, null, null, Set.of()), new PageRequest(1, 1000, null, false));
        verify(fleet, never()).dashboard();
        assertEquals(400, resource.cves(getJson("/cves/?format=csv&include=fixed")).getStatus());
    }

    @Test
    public void anIssueIdIsCheckedThenLookedUp() {
        for (String bad : List.of("CVE-24-1", "CVE-2024-123", "cve-2024-9143", "TEMP-", "DSA-5343-1", "CVE-2024-9143x", "openssl")) {
            assertEquals(bad, 400, resource.cve(bad, getJson("/cves/" + bad)).getStatus());
            html(resource.cve(bad, get("/cves/" + bad)), 400);
        }
        verify(fleet, never()).issue(any());
        when(fleet.issue(any())).thenReturn(Optional.empty());
        assertEquals("No issue 'CVE-2099-0001' in the tracker feed's active snapshot.",
                json(resource.cve("CVE-2099-0001", getJson("/cves/CVE-2099-0001")), 404).get("error").asText());
        html(resource.cve("TEMP-0000000-A1B2C3", get("/cves/TEMP-0000000-A1B2C3")), 404);
        verify(fleet).issue("TEMP-0000000-A1B2C3");
    }

    @Test
    public void anIssueWithDebiansAssessmentAndItsFindings() {
        when(fleet.issue(CVE)).thenReturn(Optional.of(issue()));
        when(fleet.findings(eq(CVE), any(), any())).thenReturn(new PageDTO<>(1, 50, 2, findings()));
        JsonNode json = json(resource.cve(CVE, getJson("/cves/" + CVE)));
        assertEquals("cve,description,scope,debianbug,links,debian,findings", keys(json));
        assertTrue(json.get("scope").isNull());
        assertEquals(1085378, json.get("debianbug").asLong());
        assertEquals("https://security-tracker.debian.org/tracker/source-package/openssl", json.get("links").get(1).asText());
        assertEquals(3, json.get("debian").size());
        JsonNode bookworm = json.get("debian").get(0);
        assertEquals("source,release,status,fixed_version,urgency,nodsa,nodsa_reason,next_point_update,repositories,advisory", keys(bookworm));
        assertEquals("3.0.15-1~deb12u1", bookworm.get("repositories").get("bookworm-security").asText());
        assertTrue(bookworm.get("advisory").isNull());
        assertTrue(bookworm.get("nodsa").isNull());
        assertFalse(bookworm.get("next_point_update").asBoolean());
        assertEquals("postponed", json.get("debian").get(1).get("nodsa_reason").asText());

        JsonNode table = json.get("findings");
        assertEquals("page,size,total,sort,dir,items", keys(table));
        assertEquals(2, table.get("total").asInt());
        for (JsonNode item : table.get("items")) {
            for (String key : FINDING_KEYS) {
                assertTrue(key + " in " + item, item.has(key));
            }
            assertEquals(EXPLANATION_KEYS, keys(item.get("explanation")));
            assertTrue(item.has("modified"));
        }
        JsonNode onHost = table.get("items").get(0);
        assertEquals("db1.example.org", onHost.get("entity").asText());
        assertEquals("host", onHost.get("kind").asText());
        assertEquals("/hosts/db1.example.org", onHost.get("url").asText());
        assertEquals("2025-07-03T14:10:09.483Z", onHost.get("modified").asText());
        assertEquals("2025-07-01T17:10:09.483Z", onHost.get("first_seen").asText());
        assertEquals(2, onHost.get("events").size());
        assertEquals("at,event,before,after", keys(onHost.get("events").get(1)));
        assertEquals("fix_released", onHost.get("events").get(1).get("event").asText());
        assertEquals("NO_FIX_YET", onHost.get("events").get(1).get("before").asText());
        assertTrue(onHost.get("events").get(0).get("before").isNull());
        JsonNode inImage = table.get("items").get(1);
        assertEquals("/images/registry.example.org/app:1", inImage.get("url").asText());
        assertEquals("WONT_FIX", inImage.get("sub_state").asText());
        assertTrue(inImage.get("first_seen").isNull());
        assertEquals(0, inImage.get("events").size());

        String page = html(resource.cve(CVE, get("/cves/" + CVE)));
        assertTrue(page, page.contains("<title>" + CVE + " - DebMonitor</title>"));
        assertTrue(page, page.contains("<nav class=\"crumbs\" aria-label=\"Breadcrumb\"><a href=\"/cves/\">Vulnerabilities</a></nav>"));
        assertTrue("escaped", page.contains("Calling &lt;EC_GROUP&gt; APIs"));
        assertTrue(page, page.contains("<a href=\"https://bugs.debian.org/1085378\" rel=\"noreferrer\">#1085378</a>"));
        assertTrue(page, page.contains(">source package openssl</a>"));
        assertTrue(page, page.contains("<tr class=\"group\"><th colspan=\"6\" scope=\"rowgroup\">openssl</th></tr>"));
        assertEquals("one group header per source", 2, page.split("scope=\"rowgroup\"", -1).length);
        assertTrue(page, page.contains("fix deferred: “Minor issue”"));
        assertTrue(page, page.contains("<td>not affected</td>"));
        assertTrue(page, page.contains("bookworm-security <span class=\"version\">3.0.15-1~deb12u1</span>"));
        assertTrue(page, page.contains("<a href=\"/hosts/db1.example.org\">db1.example.org</a> <span class=\"muted\">(host)</span>"));
        assertTrue(page, page.contains("<a href=\"/images/registry.example.org/app:1\">registry.example.org/app:1</a> <span class=\"muted\">(image)</span>"));
        assertTrue(page, page.contains("libssl3 3.0.14-1~deb12u2"));
        assertTrue(page, page.contains("<span class=\"badge badge-event\" title=\"AFFECTED — x\">affected fixed</span>"));
        assertTrue(page, page.contains("<span class=\"badge badge-upgrades\">wont fix</span>"));
        assertTrue(page, page.contains("<details><summary>Why</summary><p>AFFECTED — x</p><p>Rule: 3.0.14-1~deb12u2 &lt; 3.0.15-1~deb12u1 (dpkg)"));
        assertTrue(page, page.contains("First seen <time datetime=\"2025-07-01T17:10:09.483Z\""));
        assertTrue(page, page.contains(": new (no fix yet)</li>"));
        assertTrue(page, page.contains(": fix released (no fix yet → affected fixed)</li>"));
        assertTrue(page, page.contains("<time datetime=\"2025-07-03T14:10:09.483Z\" title=\"2025-07-03 14:10:09 UTC\">3 hours ago</time>"));
        assertFalse(page, page.contains("notice-stale"));
        assertFalse("no fixed findings fleet-wide", page.contains("<option value=\"fixed\""));

        when(fleet.dashboard()).thenReturn(dashboard(true, 0));
        assertTrue(html(resource.cve(CVE, get("/cves/" + CVE))).contains("The Debian Security Tracker feed is stale"));
    }

    @Test
    public void anAdvisoryLabelLinksToTheTracker() {
        CveIssueDTO.Debian bullseye = new CveIssueDTO.Debian("sudo", "bullseye", "resolved", "1.9.5p2-3+deb11u1", "not yet assigned", null, null,
                false, Map.of("bullseye", "1.9.5p2-3+deb11u1"), "DSA-5321-1");
        when(fleet.issue("CVE-2023-22809")).thenReturn(Optional.of(new CveIssueDTO("CVE-2023-22809", "sudoedit", null, null, List.of(),
                List.of(bullseye))));
        CveFindingDTO plain = finding("CVE-2023-22809", CveVerdict.AFFECTED_FIXED, null, true, "not_offered");
        CveFindingDTO.Explanation e = plain.explanation();
        CveFindingDTO labelled = new CveFindingDTO(plain.cve(), "sudo", "bullseye", plain.binaries(), "1.9.5p2-3", "assumed", plain.baseVerdict(),
                plain.verdict(), null, true, "not_offered", null, "1.9.5p2-3+deb11u1", null, "not yet assigned", false, null, null, null, false,
                "DSA-5321-1", null, new CveFindingDTO.Explanation(e.state(), e.urgency(), e.installed(), e.rule(), e.elsewhere(), e.upgrade(),
                        "DSA-5321-1 (fixed sudo 1.9.5p2-3+deb11u1 in bullseye)", e.data(), e.links()), null, List.of());
        when(fleet.findings(eq("CVE-2023-22809"), any(), any())).thenReturn(new PageDTO<>(1, 50, 1, List.of(new CveEntityFindingDTO(HOST, labelled))));
        JsonNode json = json(resource.cve("CVE-2023-22809", getJson("/cves/CVE-2023-22809")));
        assertEquals("DSA-5321-1", json.get("debian").get(0).get("advisory").asText());
        JsonNode item = json.get("findings").get("items").get(0);
        assertEquals("DSA-5321-1", item.get("advisory").asText());
        assertEquals("DSA-5321-1 (fixed sudo 1.9.5p2-3+deb11u1 in bullseye)", item.get("explanation").get("advisory").asText());
        String page = html(resource.cve("CVE-2023-22809", get("/cves/CVE-2023-22809")));
        String link = "<a href=\"https://security-tracker.debian.org/tracker/DSA-5321-1\" rel=\"noreferrer\">DSA-5321-1</a>";
        assertTrue(page, page.contains("<p>Advisory: " + link + " (fixed sudo 1.9.5p2-3+deb11u1 in bullseye)</p>"));
        assertTrue(page, page.contains("<td class=\"version\">1.9.5p2-3+deb11u1 " + link + "</td>"));
    }

    @Test
    public void findingsAreFilteredSortedAndDownloaded() throws IOException {
        when(fleet.issue(CVE)).thenReturn(Optional.of(issue()));
        when(fleet.findings(eq(CVE), any(), any())).thenReturn(new PageDTO<>(1, 50, 2, findings()));
        json(resource.cve(CVE, getJson("/cves/" + CVE + "?q=db1&kind=host&os=Debian+12&state=AFFECTED_FIXED&include=headers,negligible"
                + "&urgency=high&sort=modified&dir=desc")));
        // urgency filters the list, not an issue's findings, which all share its urgency.
        verify(fleet).findings(CVE, new CveFilter("db1", null, "AFFECTED_FIXED", "Debian 12", EntityKind.HOST, Set.of("headers", "negligible")),
                new PageRequest(1, 50, "modified", true));
        for (String bad : List.of("state=X", "kind=vm", "include=fixed", "include=nope", "sort=cve", "sort=urgency", "size=0")) {
            assertEquals(bad, 400, resource.cve(CVE, getJson("/cves/" + CVE + "?" + bad)).getStatus());
        }
        assertEquals(CveResource.NO_FIXED, json(resource.cve(CVE, getJson("/cves/" + CVE + "?include=all,fixed")), 400).get("error").asText());

        String jsonl = body(resource.cve(CVE, get("/cves/" + CVE + "?format=jsonl")));
        String[] lines = jsonl.split("\n");
        assertEquals(2, lines.length);
        assertTrue(lines[0], lines[0].startsWith("{\"cve\":\"" + CVE + "\",\"source\":\"openssl\",\"release\":\"bookworm\",\"entity\":\"db1.example.org\""));
        assertTrue(lines[1], lines[1].contains("\"sub_state\":\"WONT_FIX\""));
        verify(fleet, never()).dashboard();
    }

    private static String body(Response response) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ((StreamingOutput) response.getEntity()).write(out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
