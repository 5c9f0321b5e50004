package io.debmonitor.ui.internal;

import static io.debmonitor.ui.internal.UiTestSupport.NOW;
import static io.debmonitor.ui.internal.UiTestSupport.STALENESS;
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
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.junit.Before;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.debmonitor.core.model.api.AsOfDTO;
import io.debmonitor.core.model.api.EntityDTO;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.EntityService;
import io.debmonitor.core.model.api.HistoryEvent;
import io.debmonitor.core.model.api.HistoryEventDTO;
import io.debmonitor.core.model.api.HistoryFilter;
import io.debmonitor.core.model.api.HistoryService;
import io.debmonitor.core.model.api.KernelService;
import io.debmonitor.core.model.api.KubernetesService;
import io.debmonitor.core.model.api.PackageRowDTO;
import io.debmonitor.core.model.api.PackageService;
import io.debmonitor.core.model.api.PackageVersionCountDTO;
import io.debmonitor.core.model.api.PageDTO;
import io.debmonitor.core.model.api.RolloutDTO;

/** The history tab and the as-of view of host and image pages, and a package's rollout (issue #13). */
public class HistoryViewsTest {

    private static final String HOST = "db1001.example.org";

    private final EntityService entities = mock(EntityService.class);
    private final HistoryService history = mock(HistoryService.class);
    private final PackageService packages = mock(PackageService.class);
    private final io.debmonitor.core.model.api.CveService cves = mock(io.debmonitor.core.model.api.CveService.class);
    private EntityResource hosts;
    private final io.debmonitor.core.model.api.CveFleetService cveFleet = mock(io.debmonitor.core.model.api.CveFleetService.class);
    private PackageResource packagePages;

    @Before
    public void setUp() {
        Pages pages = UiTestSupport.pages(config());
        hosts = new EntityResource(entities, mock(KernelService.class), mock(KubernetesService.class), STALENESS, history, cves, cveFleet, pages,
                Clock.fixed(NOW, ZoneOffset.UTC), "0.1.0");
        packagePages = new PackageResource(packages, history, pages);
        when(entities.find(EntityKind.HOST, HOST)).thenReturn(Optional.of(new EntityDTO(EntityKind.HOST, HOST, "Debian 12", null, null,
                NOW.minus(Duration.ofDays(40)), NOW.minus(Duration.ofHours(1)), 2, 1, 1, 0)));
    }

    @Test
    public void theHistoryTabListsEventsWithTheirFilters() throws Exception {
        when(history.timeline(eq(EntityKind.HOST), eq(HOST), any(), any())).thenReturn(new PageDTO<>(1, 50, 2, List.of(
                new HistoryEventDTO(7, NOW.minusSeconds(60), "dpkg_hook", HistoryEvent.UPGRADED, "openssl", "3.0.11-1", "3.0.15-1",
                        "3.0.15-1", null, "security", null),
                new HistoryEventDTO(1, NOW.minus(Duration.ofDays(3)), "full", HistoryEvent.BASELINE, null, null, null, null, null, null,
                        null))));
        String page = html(hosts.host(HOST, get("/hosts/" + HOST + "?tab=history&package=openssl&from=2025-07-01&to=2025-07-03")));
        assertTrue(page, page.contains("<a href=\"/hosts/" + HOST + "?tab=history\" aria-current=\"page\">History</a>"));
        assertTrue(page, page.contains("<span class=\"version\">3.0.11-1</span> → <span class=\"version\">3.0.15-1</span>"));
        assertTrue(page, page.contains("<del class=\"version\">3.0.15-1</del>"));
        assertTrue(page, page.contains("History begins"));
        verify(history).timeline(eq(EntityKind.HOST), eq(HOST), eq(new HistoryFilter("openssl", Instant.parse("2025-07-01T00:00:00Z"),
                Instant.parse("2025-07-04T00:00:00Z"))), any());

        JsonNode json = json(hosts.host(HOST, getJson("/hosts/" + HOST + "?tab=history")));
        JsonNode event = json.get("history").get("items").get(0);
        assertEquals("id,created,event,package,url,version_before,version_after,upgrade_before,upgrade_after,upgrade_type_before,"
                + "upgrade_type_after,update_type", keys(event));
        assertEquals("upgraded", event.get("event").asText());
        assertEquals(2, json.get("history").get("total").asInt());
        assertTrue(json.get("history").get("items").get(1).get("package").isNull());

        // The history tab downloads like any table; text a spreadsheet would evaluate is quoted.
        when(history.timeline(eq(EntityKind.HOST), eq(HOST), any(), any())).thenReturn(new PageDTO<>(1, 1000, 1, List.of(
                new HistoryEventDTO(9, NOW, "dpkg_hook", HistoryEvent.INSTALLED, "=cmd|' /C calc'!A0", null, "@SUM(1)", null, null, null,
                        null))));
        String csv = body(hosts.host(HOST, get("/hosts/" + HOST + "?tab=history&format=csv")));
        assertTrue(csv, csv.startsWith("id,created,event,package,version_before,version_after,"));
        assertTrue(csv, csv.contains(",installed,'=cmd|' /C calc'!A0,,'@SUM(1),"));

        for (String bad : List.of("tab=log", "tab=history&from=yesterday", "tab=history&to=2025-13-01", "tab=history&as_of=2025-07-01",
                "tab=history&sort=name", "tab=history&from=-1000000000-01-01T00:00:00Z", "tab=history&to=+1000000000-01-01T00:00:00Z",
                "as_of=1969-12-30", "as_of=-1000000000-01-01T00:00:00Z")) {
            assertEquals(bad, 400, hosts.host(HOST, getJson("/hosts/" + HOST + "?" + bad)).getStatus());
        }
        assertEquals(404, hosts.host("unknown.example.org", getJson("/hosts/unknown.example.org?tab=history")).getStatus());
    }

    private static String body(javax.ws.rs.core.Response response) throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ((javax.ws.rs.core.StreamingOutput) response.getEntity()).write(out);
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    public void asOfShowsTheEarlierStateOrSaysItIsUnknown() {
        Instant endOfJuly1 = Instant.parse("2025-07-01T23:59:59.999Z");
        when(history.asOf(EntityKind.HOST, HOST, endOfJuly1)).thenReturn(Optional.of(new AsOfDTO(endOfJuly1,
                NOW.minus(Duration.ofDays(10)), true, List.of(new PackageRowDTO("bash", "5.2-1", null, null),
                        new PackageRowDTO("openssl", "3.0.11-1", "3.0.15-1", "security")))));
        JsonNode json = json(hosts.host(HOST, getJson("/hosts/" + HOST + "?as_of=2025-07-01&upgrades=security")));
        assertEquals("2025-07-01T23:59:59.999Z", json.get("as_of").asText());
        assertTrue(json.get("known").asBoolean());
        assertEquals(1, json.get("packages").get("total").asInt());
        assertEquals("openssl", json.get("packages").get("items").get(0).get("name").asText());
        // The same orders as today's table: security upgrades first by default, any sort key in dpkg order.
        assertEquals("openssl", json(hosts.host(HOST, getJson("/hosts/" + HOST + "?as_of=2025-07-01"))).get("packages").get("items")
                .get(0).get("name").asText());
        assertEquals("bash", json(hosts.host(HOST, getJson("/hosts/" + HOST + "?as_of=2025-07-01&sort=upgrade"))).get("packages")
                .get("items").get(0).get("name").asText());
        String filtered = html(hosts.host(HOST, get("/hosts/" + HOST + "?as_of=2025-07-01&q=ssl")));
        assertTrue(filtered, filtered.contains("<a class=\"reset\" href=\"/hosts/" + HOST + "?as_of=2025-07-01\">Reset</a>"));
        assertTrue(filtered, filtered.contains("<input type=\"hidden\" name=\"as_of\" value=\"2025-07-01\">"));
        String page = html(hosts.host(HOST, get("/hosts/" + HOST + "?as_of=2025-07-01")));
        assertTrue(page, page.contains("Packages as of <time datetime=\"2025-07-01T23:59:59.999Z\">2025-07-01 23:59:59 UTC</time>"));
        assertTrue(page, page.contains("value=\"2025-07-01\""));
        assertTrue(page, page.contains(">bash</a>"));

        Instant early = Instant.parse("2025-05-01T00:00:00Z");
        when(history.asOf(EntityKind.HOST, HOST, early)).thenReturn(Optional.of(new AsOfDTO(early, NOW.minus(Duration.ofDays(10)), false,
                List.of())));
        JsonNode unknown = json(hosts.host(HOST, getJson("/hosts/" + HOST + "?as_of=2025-05-01T00:00:00Z")));
        assertFalse(unknown.get("known").asBoolean());
        assertEquals(0, unknown.get("packages").get("total").asInt());
        String unknownPage = html(hosts.host(HOST, get("/hosts/" + HOST + "?as_of=2025-05-01T00:00:00Z")));
        assertTrue(unknownPage, unknownPage.contains("history is known from"));
        assertFalse(unknownPage, unknownPage.contains("class=\"data\""));

        // Today means now; tomorrow is refused, as is nonsense.
        when(history.asOf(EntityKind.HOST, HOST, NOW)).thenReturn(Optional.of(new AsOfDTO(NOW, NOW, true, List.of())));
        assertEquals(200, hosts.host(HOST, getJson("/hosts/" + HOST + "?as_of=2025-07-03")).getStatus());
        for (String bad : List.of("as_of=2025-07-04", "as_of=last-week", "as_of=2025-07-03T20:00:00Z")) {
            assertEquals(bad, 400, hosts.host(HOST, getJson("/hosts/" + HOST + "?" + bad)).getStatus());
        }
        assertEquals(400, hosts.host(HOST, getJson("/hosts/" + HOST + "?as_of=2025-07-01&format=cyclonedx")).getStatus());
    }

    @Test
    public void exportsWalkHostsAndTimelinesByKeyset() throws Exception {
        EntityResource small = new EntityResource(entities, mock(KernelService.class), mock(KubernetesService.class), STALENESS, history, cves,
                mock(io.debmonitor.core.model.api.CveFleetService.class), UiTestSupport.pages(config("ui_maxPageSize", 2, "ui_pageSize", 2)), Clock.fixed(NOW, ZoneOffset.UTC), "0.1.0");
        List<String> names = List.of("a.example.org", "b.example.org", "c.example.org", "d.example.org", "e.example.org");
        List<io.debmonitor.core.model.api.PageRequest> asked = new java.util.ArrayList<>();
        when(entities.list(eq(EntityKind.HOST), any(), any())).thenAnswer(invocation -> {
            io.debmonitor.core.model.api.PageRequest request = invocation.getArgument(2);
            asked.add(request);
            List<EntityDTO> after = names.stream().filter(name -> name.compareTo(request.after()) > 0).limit(request.size())
                    .map(name -> new EntityDTO(EntityKind.HOST, name, "Debian 12", null, null, NOW, NOW, 1, 0, 0, 0)).toList();
            return new PageDTO<>(1, request.size(), after.size(), after);
        });
        String csv = body(small.hosts(get("/hosts/?format=csv&sort=security&dir=desc")));
        assertEquals(6, csv.split("\r\n").length);
        for (String name : names) {
            assertTrue(csv, csv.contains("\r\n" + name + ","));
        }
        // Each chunk starts after the last name of the one before, whatever the page's sort: rows
        // that reports move while the file streams are neither repeated nor skipped.
        assertEquals(List.of("", "b.example.org", "d.example.org"), asked.stream().map(io.debmonitor.core.model.api.PageRequest::after).toList());
        assertEquals(400, small.hosts(getJson("/hosts/?format=csv&sort=nonsense")).getStatus());

        when(history.timeline(eq(EntityKind.HOST), eq(HOST), any(), any())).thenAnswer(invocation -> {
            io.debmonitor.core.model.api.PageRequest request = invocation.getArgument(3);
            long below = request.after().isEmpty() ? 4 : Long.parseLong(request.after());
            List<HistoryEventDTO> events = new java.util.ArrayList<>();
            for (long id = below - 1; id >= 1 && events.size() < request.size(); id--) {
                events.add(new HistoryEventDTO(id, NOW, "full", HistoryEvent.INSTALLED, "p" + id, null, "1", null, null, null, null));
            }
            return new PageDTO<>(1, request.size(), events.size(), events);
        });
        String jsonl = body(small.host(HOST, get("/hosts/" + HOST + "?tab=history&format=jsonl")));
        assertEquals(3, jsonl.split("\n").length);
        assertTrue(jsonl, jsonl.startsWith("{\"id\":3,"));
    }

    @Test
    public void theCveTabShowsFindingsWithTheirCoverage() {
        io.debmonitor.core.model.api.CveCoverageDTO coverage = new io.debmonitor.core.model.api.CveCoverageDTO("bookworm", "covered",
                new java.util.LinkedHashMap<>(java.util.Map.of("no-entry", 3L, "assumed-version", 0L, "non-debian-version", 0L,
                        "uncertain-version", 0L, "running-kernel-unknown", 0L)), List.of());
        List<io.debmonitor.core.model.api.CveFindingDTO> all = List.of(
                finding("CVE-2024-9143", io.debmonitor.core.model.api.CveVerdict.AFFECTED_FIXED, null, true, "not_offered").withHistory(
                        NOW.minus(Duration.ofDays(1)), List.of(new io.debmonitor.core.model.api.CveFindingDTO.Event(NOW.minus(Duration.ofDays(1)),
                                "new", null, "AFFECTED_FIXED"))),
                finding("CVE-2025-10966", io.debmonitor.core.model.api.CveVerdict.AFFECTED_OPEN,
                        io.debmonitor.core.model.api.CveSubState.NEGLIGIBLE, false, null));
        io.debmonitor.core.model.api.CveKernelDTO kernel = new io.debmonitor.core.model.api.CveKernelDTO("6.1.76-1", "6.1.0-18-amd64", 1, false,
                List.of(new io.debmonitor.core.model.api.CveKernelDTO.Image("linux-image-6.1.0-18-amd64", "6.1.76-1", true)), List.of());
        // The service filters and pages (core-model's tests check how); here, that the page passes the filter and shows the result.
        when(cves.page(org.mockito.ArgumentMatchers.eq(EntityKind.HOST), org.mockito.ArgumentMatchers.eq(HOST), org.mockito.ArgumentMatchers.any(),
                org.mockito.ArgumentMatchers.any())).thenAnswer(call -> {
                    io.debmonitor.core.model.api.CveFilter filter = call.getArgument(2);
                    io.debmonitor.core.model.api.PageRequest request = call.getArgument(3);
                    List<io.debmonitor.core.model.api.CveFindingDTO> shown = all.stream()
                            .filter(f -> filter.visible(f.verdict(), f.subState()) && filter.inState(f.verdict(), f.subState())).toList();
                    return Optional.of(new io.debmonitor.core.model.api.EntityCvesPageDTO(coverage,
                            new io.debmonitor.core.model.api.EntityCvesPageDTO.Counts(1, 0, java.util.Map.of("AFFECTED_FIXED", 1L, "NEGLIGIBLE", 1L)),
                            kernel, new PageDTO<>(request.page(), request.size(), shown.size(), shown)));
                });
        JsonNode json = json(hosts.host(HOST, getJson("/hosts/" + HOST + "?tab=cves")));
        assertEquals(1, json.get("cves").get("total").asInt());
        JsonNode item = json.get("cves").get("items").get(0);
        assertEquals("CVE-2024-9143", item.get("cve").asText());
        assertEquals("AFFECTED_FIXED", item.get("verdict").asText());
        assertTrue(item.has("accepted") && item.get("accepted").isNull());
        assertEquals("2025-07-02T17:10:09.483Z", item.get("first_seen").asText());
        assertEquals("new", item.get("events").get(0).get("event").asText());
        assertEquals("AFFECTED_FIXED", item.get("events").get(0).get("after").asText());
        assertEquals(1, json.get("counts").get("affected").asInt());
        assertEquals(3, json.get("coverage").get("not_assessed").get("no-entry").asInt());
        assertEquals("6.1.76-1", json.get("running_kernel").get("running_version").asText());
        assertTrue(json.get("running_kernel").get("images").get(0).get("running").asBoolean());
        assertEquals(2, json(hosts.host(HOST, getJson("/hosts/" + HOST + "?tab=cves&include=negligible"))).get("cves").get("total").asInt());
        assertEquals(1, json(hosts.host(HOST, getJson("/hosts/" + HOST + "?tab=cves&include=all&state=NEGLIGIBLE"))).get("cves").get("total")
                .asInt());
        String page = html(hosts.host(HOST, get("/hosts/" + HOST + "?tab=cves")));
        assertTrue(page, page.contains("<a href=\"/hosts/" + HOST + "?tab=cves\" aria-current=\"page\">CVEs</a>"));
        assertFalse("no fleet summary yet: no feed notice", page.contains("feed is stale"));
        io.debmonitor.core.model.api.CveSnapshotDTO snapshot = new io.debmonitor.core.model.api.CveSnapshotDTO(2, NOW.minusSeconds(200_000),
                NOW.minusSeconds(199_000), "file:/var/tmp/json", null, "ab".repeat(32), "active", List.of("bookworm"), java.util.Map.of("bookworm", 4L),
                0, null, null, null, null);
        when(cveFleet.dashboard()).thenReturn(new io.debmonitor.core.model.api.CveDashboardDTO(java.util.Map.of(), 0, 0, 0, 0, 0, 0, snapshot,
                199_000L, true));
        String stale = html(hosts.host(HOST, get("/hosts/" + HOST + "?tab=cves")));
        assertTrue(stale, stale.contains("The Debian Security Tracker feed is stale"));
        assertTrue(json(hosts.host(HOST, getJson("/hosts/" + HOST + "?tab=cves"))).get("feed").get("stale").asBoolean());
        assertTrue(page, page.contains("Not assessed (source packages): 3 without a feed entry"));
        assertTrue(page, page.contains(">CVE-2024-9143</a>"));
        for (String bad : List.of("include=some", "state=BAD", "as_of=2025-07-01")) {
            assertEquals(bad, 400, hosts.host(HOST, getJson("/hosts/" + HOST + "?tab=cves&" + bad)).getStatus());
        }
    }

    @Test
    public void theRolloutIsAChartWithItsNumbers() {
        when(packages.versions("openssl")).thenReturn(List.of(new PackageVersionCountDTO("Debian 12", "3.0.15-1", 1, 0, 0)));
        LocalDate today = LocalDate.ofInstant(NOW, ZoneOffset.UTC);
        when(history.rollout(EntityKind.HOST, "openssl", 2)).thenReturn(new RolloutDTO("openssl", EntityKind.HOST, List.of("3.0.11-1",
                "3.0.15-1"), List.of(new RolloutDTO.Day(today.minusDays(1), List.of(3L, 1L), 2), new RolloutDTO.Day(today, List.of(0L, 4L), 0))));
        JsonNode json = json(packagePages.binaryPackage("openssl", getJson("/packages/openssl?tab=rollout&days=2")));
        assertEquals("name,kind,days,versions,rollout", keys(json));
        assertEquals(3, json.get("rollout").get(0).get("versions").get("3.0.11-1").asInt());
        assertEquals(4, json.get("rollout").get(1).get("versions").get("3.0.15-1").asInt());
        assertEquals(2, json.get("rollout").get(0).get("unknown").asInt());

        String page = html(packagePages.binaryPackage("openssl", get("/packages/openssl?tab=rollout&days=2")));
        assertTrue(page, page.contains("<svg class=\"chart\""));
        assertTrue(page, page.contains("<title>" + today + " · 3.0.15-1: 4 hosts</title>"));
        assertTrue(page, page.contains("<title>" + today.minusDays(1) + " · unknown: 2 hosts</title>"));
        assertTrue(page, page.contains("<span class=\"swatch series-0\"></span>3.0.15-1"));

        assertEquals(400, packagePages.binaryPackage("openssl", getJson("/packages/openssl?tab=x")).getStatus());
        for (String bad : List.of("days=0", "days=401", "days=x", "days=2&page=2", "days=2&kind=vm")) {
            assertEquals(bad, 400, packagePages.binaryPackage("openssl", getJson("/packages/openssl?tab=rollout&" + bad)).getStatus());
        }
        assertEquals(400, packagePages.binaryPackage("openssl", getJson("/packages/openssl?days=3")).getStatus());
        when(history.rollout(EntityKind.HOST, "nothing", 90)).thenReturn(new RolloutDTO("nothing", EntityKind.HOST, List.of(), List.of(
                new RolloutDTO.Day(today, List.of(), 0))));
        assertEquals(404, packagePages.binaryPackage("nothing", getJson("/packages/nothing?tab=rollout")).getStatus());
    }
}
