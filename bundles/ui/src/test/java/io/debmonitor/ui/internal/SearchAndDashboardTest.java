package io.debmonitor.ui.internal;

import static io.debmonitor.ui.internal.UiTestSupport.ANONYMOUS;
import static io.debmonitor.ui.internal.UiTestSupport.NOW;
import static io.debmonitor.ui.internal.UiTestSupport.STALENESS;
import static io.debmonitor.ui.internal.UiTestSupport.config;
import static io.debmonitor.ui.internal.UiTestSupport.get;
import static io.debmonitor.ui.internal.UiTestSupport.getJson;
import static io.debmonitor.ui.internal.UiTestSupport.html;
import static io.debmonitor.ui.internal.UiTestSupport.json;
import static io.debmonitor.ui.internal.UiTestSupport.keys;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.ws.rs.core.Response;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.debmonitor.core.model.api.CveDashboardDTO;
import io.debmonitor.core.model.api.CveFleetService;
import io.debmonitor.core.model.api.CveIssueDTO;
import io.debmonitor.core.model.api.CveSnapshotDTO;
import io.debmonitor.core.model.api.DashboardDTO;
import io.debmonitor.core.model.api.DashboardService;
import io.debmonitor.core.model.api.SearchResultDTO;
import io.debmonitor.core.model.api.SearchService;

public class SearchAndDashboardTest {

    private final Pages pages = UiTestSupport.pages(config("search_minLength", 4, "search_maxResults", 2));
    private final SearchService search = mock(SearchService.class);
    private final CveFleetService fleet = mock(CveFleetService.class);
    private final SearchResource resource = new SearchResource(search, fleet, pages);

    private static SearchResultDTO result() {
        Map<String, SearchResultDTO.Scope> scopes = new LinkedHashMap<>();
        scopes.put("hosts", new SearchResultDTO.Scope(3, List.of(new SearchResultDTO.Item("ssl1.example.org", "ssl1.example.org"),
                new SearchResultDTO.Item("ssl2.example.org", "ssl2.example.org"))));
        scopes.put("images", new SearchResultDTO.Scope(0, List.of()));
        scopes.put("packages", new SearchResultDTO.Scope(1, List.of(new SearchResultDTO.Item("libssl3", "libssl3"))));
        scopes.put("source-packages", new SearchResultDTO.Scope(1, List.of(new SearchResultDTO.Item("openssl", "openssl"))));
        scopes.put("kernels", new SearchResultDTO.Scope(1, List.of(new SearchResultDTO.Item("#1 SMP ssl", "3_1-smp-ssl"))));
        scopes.put("package-versions", new SearchResultDTO.Scope(1, List.of(
                new SearchResultDTO.Item("libssl3 (3.0.11-1~deb12u2 - Debian 12)", "libssl3"))));
        scopes.put("source-package-versions", new SearchResultDTO.Scope(1, List.of(
                new SearchResultDTO.Item("openssl (3.0.11-1~deb12u2 - Debian 12)", "openssl"))));
        return new SearchResultDTO("ssl1", scopes);
    }

    @Test
    public void shortQueryIsAMessageInHtmlAnd400InJson() {
        String html = html(resource.search(get("/search?q=ssl")));
        assertTrue(html, html.contains("Invalid search query! At least 4 characters required."));
        html = html(resource.search(get("/search")));
        assertTrue(html, html.contains("Invalid search query! At least 4 characters required."));
        assertTrue(html, html.contains("minlength=\"4\""));
        assertEquals("Invalid search query! At least 4 characters required.",
                json(resource.search(getJson("/search?q=%20ssl%20")), 400).get("error").asText());
        assertEquals("error", keys(json(resource.search(getJson("/search?q=ssl1&scope=everything")), 400)));
        verifyNoInteractions(search);
    }

    @Test
    public void resultsLinkEveryScope() {
        when(search.search("ssl1", null, 2)).thenReturn(result());
        html(resource.search(get("/search?q=ssl1")));
        verifyNoInteractions(fleet);
        JsonNode json = json(resource.search(getJson("/search?q=ssl1")));
        assertEquals("query,scopes", keys(json));
        assertEquals("hosts,images,packages,source-packages,kernels,package-versions,source-package-versions", keys(json.get("scopes")));
        assertEquals(3, json.get("scopes").get("hosts").get("total").asLong());
        assertEquals("name,url", keys(json.get("scopes").get("hosts").get("items").get(0)));
        assertEquals("/kernels/3_1-smp-ssl", json.get("scopes").get("kernels").get("items").get(0).get("url").asText());
        assertEquals("/packages/libssl3", json.get("scopes").get("package-versions").get("items").get(0).get("url").asText());
        assertEquals("/source-packages/openssl", json.get("scopes").get("source-package-versions").get("items").get(0).get("url").asText());

        String html = html(resource.search(get("/search?q=ssl1")));
        assertTrue(html, html.contains("<a href=\"/hosts/ssl2.example.org\">ssl2.example.org</a>"));
        assertTrue(html, html.contains("Showing the first 2 of 3."));
        assertTrue(html, html.contains("libssl3 (3.0.11-1~deb12u2 - Debian 12)"));
        assertTrue(html, html.contains("value=\"ssl1\""));
    }

    @Test
    public void scopeLimitsTheSearch() {
        when(search.search(anyString(), any(), anyInt())).thenReturn(new SearchResultDTO("ssl1",
                Map.of("kernels", new SearchResultDTO.Scope(0, List.of()))));
        String html = html(resource.search(get("/search?q=ssl1&scope=kernels")));
        verify(search).search("ssl1", "kernels", 2);
        assertTrue(html, html.contains("<option value=\"kernels\" selected>Kernels</option>"));
        assertTrue(html, html.contains("No matches."));
        assertEquals(302, resource.search(get("/search?q=ssl1", ANONYMOUS, null)).getStatus());
    }

    @Test
    public void dashboardJsonHasTheExactShape() {
        DashboardService dashboard = mock(DashboardService.class);
        when(dashboard.counts()).thenReturn(new DashboardDTO(
                new DashboardDTO.Entities(1200, 300, 25, NOW, NOW.minusSeconds(86_400 * 3), 7),
                new DashboardDTO.Entities(40, 10, 0, null, null, 0),
                17, 250, new DashboardDTO.Targets(5000, 120, 9), new DashboardDTO.Targets(9000, 130, 10), 2100, 3000,
                new DashboardDTO.Upgrades(4000, 300, 40, 0)));
        when(fleet.dashboard()).thenReturn(new CveDashboardDTO(Map.of("high", Map.of("fix_available", 2L)), 1, 0, 0, 0, 0, 0,
                feed(), 60L, false));
        DashboardResource dashboardResource = new DashboardResource(dashboard, fleet, STALENESS, pages);
        JsonNode json = json(dashboardResource.dashboard(getJson("/")));
        assertEquals("hosts,images,kernels,kubernetes,packages,package_versions,source_packages,upgrades,cves", keys(json));
        assertEquals("total,with_upgrades,with_security,latest_update,oldest_update,stale", keys(json.get("hosts")));
        assertEquals("total,with_upgrades,with_security,latest_update,oldest_update,stale", keys(json.get("images")));
        assertEquals(7, json.get("hosts").get("stale").asLong());
        assertEquals(0, json.get("images").get("stale").asLong());
        assertEquals("2025-06-30T17:10:09.483Z", json.get("hosts").get("oldest_update").asText());
        assertTrue(json.get("images").get("latest_update").isNull());
        assertEquals("total", keys(json.get("kernels")));
        assertEquals("rows", keys(json.get("kubernetes")));
        assertEquals("total,with_upgrades,with_security", keys(json.get("packages")));
        assertEquals("total,with_upgrades,with_security", keys(json.get("package_versions")));
        assertEquals("total,versions", keys(json.get("source_packages")));
        assertEquals("hosts,images,hosts_security,images_security", keys(json.get("upgrades")));
        assertEquals(40, json.get("upgrades").get("hosts_security").asLong());

        String html = html(dashboardResource.dashboard(get("/")));
        assertTrue(html, html.contains("<title>DebMonitor - DebMonitor</title>"));
        assertTrue(html, html.contains("<h2 id=\"card-hosts\"><a href=\"/hosts/\">Hosts</a></h2>"));
        assertTrue(html, html.contains("<p class=\"big\">1,200</p>"));
        assertTrue(html, html.contains("<a href=\"/hosts/?upgrades=security\">25</a>"));
        assertTrue(html, html.contains("<dt>Stale (no report for 48 hours)</dt><dd class=\"stat-stale\"><a href=\"/hosts/?stale=true\">7</a></dd>"));
        assertTrue(html, html.contains("<dt>Stale (no report for 45 days)</dt><dd><a href=\"/images/?stale=true\">0</a></dd>"));
        assertFalse(html, html.contains("stat-stale\"><a href=\"/images/"));
        assertTrue(html, html.contains("<time datetime=\"2025-06-30T17:10:09.483Z\" title=\"2025-06-30 17:10:09 UTC\">3 days ago</time>"));
    }

    private static CveSnapshotDTO feed() {
        return new CveSnapshotDTO(2, NOW.minusSeconds(7200), NOW.minusSeconds(7100), "https://security-tracker.debian.org/tracker/data/json",
                NOW.minusSeconds(9009), "ab".repeat(32), "active", List.of("bookworm"), Map.of("bookworm", 40L), 0, null, null, null, null);
    }

    @Test
    public void theVulnerabilitiesCardHasTheMatrixAndTheFeed() {
        DashboardService dashboard = mock(DashboardService.class);
        when(dashboard.counts()).thenReturn(new DashboardDTO(new DashboardDTO.Entities(3, 0, 0, NOW, NOW, 0),
                new DashboardDTO.Entities(1, 0, 0, NOW, NOW, 0), 1, 1, new DashboardDTO.Targets(10, 0, 0), new DashboardDTO.Targets(10, 0, 0), 5,
                5, new DashboardDTO.Upgrades(0, 0, 0, 0)));
        Map<String, Map<String, Long>> matrix = new LinkedHashMap<>();
        matrix.put("unimportant", Map.of("negligible", 9L));
        matrix.put("critical", Map.of("no_fix_yet", 1L));
        matrix.put("not yet assigned", Map.of("fix_not_offered", 4L, "needs_triage", 1L));
        matrix.put("high", Map.of("fix_available", 3L, "wont_fix", 1L));
        when(fleet.dashboard()).thenReturn(new CveDashboardDTO(matrix, 2, 1, 1, 3, 12, 5, feed(), 7100L, true));
        DashboardResource resource = new DashboardResource(dashboard, fleet, STALENESS, pages);

        JsonNode cves = json(resource.dashboard(getJson("/"))).get("cves");
        assertEquals("matrix,fixable_high,reboot_required,not_assessed,pending,feed", keys(cves));
        assertEquals("urgencies highest first, unknown ones after", "high,not yet assigned,unimportant,critical", keys(cves.get("matrix")));
        assertEquals("fix_available,fix_not_offered,no_fix_yet,deferred,wont_fix,minor,point_release,unsupported,negligible,needs_triage,accepted",
                keys(cves.get("matrix").get("high")));
        assertEquals(3, cves.get("matrix").get("high").get("fix_available").asLong());
        assertEquals(0, cves.get("matrix").get("high").get("no_fix_yet").asLong());
        assertEquals(1, cves.get("matrix").get("not yet assigned").get("needs_triage").asLong());
        assertEquals("hosts,images", keys(cves.get("fixable_high")));
        assertEquals(2, cves.get("fixable_high").get("hosts").asLong());
        assertEquals(1, cves.get("fixable_high").get("images").asLong());
        assertEquals(1, cves.get("reboot_required").asLong());
        assertEquals("not_covered,sources", keys(cves.get("not_assessed")));
        assertEquals(12, cves.get("not_assessed").get("sources").asLong());
        assertEquals(5, cves.get("pending").asLong());
        assertEquals("imported,last_modified,age_seconds,stale", keys(cves.get("feed")));
        assertEquals("2025-07-03T15:11:49.483Z", cves.get("feed").get("imported").asText());
        assertEquals("2025-07-03T14:40:00.483Z", cves.get("feed").get("last_modified").asText());
        assertEquals(7100, cves.get("feed").get("age_seconds").asLong());
        assertTrue(cves.get("feed").get("stale").asBoolean());

        String html = html(resource.dashboard(get("/")));
        assertTrue(html, html.contains("<h2 id=\"card-cves\"><a href=\"/cves/\">Vulnerabilities</a></h2>"));
        assertTrue(html, html.contains("<th scope=\"row\"><a href=\"/cves/?urgency=high\">high</a></th>"));
        assertTrue(html, html.contains("<th scope=\"row\"><a href=\"/cves/?urgency=not%20yet%20assigned\">untriaged</a></th>"));
        assertTrue(html, html.contains("<th scope=\"row\"><a href=\"/cves/?urgency=unimportant&include=negligible\">negligible</a></th>"));
        assertTrue(html, html.contains("<th scope=\"col\" class=\"num\">point release queued</th>"));
        assertTrue(html, html.contains("<td class=\"num\">3</td><td class=\"num\"><span class=\"zero\">0</span></td>"));
        assertTrue(html, html.contains("<dt>Hosts with a fixable high</dt><dd class=\"stat-security\"><a href=\"/cves/?urgency=high&amp;kind=host\">2</a></dd>"));
        assertTrue(html, html.contains("The Debian Security Tracker feed is stale"));
        assertTrue(html, html.contains("Counts are being refreshed: 5 hosts/images pending."));

        when(fleet.dashboard()).thenReturn(new CveDashboardDTO(Map.of(), 0, 0, 0, 0, 0, 0, null, null, true));
        html = html(resource.dashboard(get("/")));
        assertTrue(html, html.contains("No Debian Security Tracker feed has been imported yet"));
        assertTrue(html, html.contains("No findings in the fleet."));
        assertFalse(html, html.contains("being refreshed"));
    }

    @Test
    public void anIssueIdFindsItsPage() {
        when(search.search(anyString(), any(), anyInt())).thenReturn(result());
        when(fleet.issue("CVE-2024-9143")).thenReturn(Optional.of(new CveIssueDTO("CVE-2024-9143", null, null, null, List.of(), List.of())));
        when(fleet.issue("TEMP-0000000-a1b2c3")).thenReturn(Optional.empty());
        JsonNode json = json(resource.search(getJson("/search?q=+cve-2024-9143+")));
        assertEquals("cves,hosts,images,packages,source-packages,kernels,package-versions,source-package-versions", keys(json.get("scopes")));
        assertEquals(1, json.get("scopes").get("cves").get("total").asInt());
        assertEquals("name,url", keys(json.get("scopes").get("cves").get("items").get(0)));
        assertEquals("CVE-2024-9143", json.get("scopes").get("cves").get("items").get(0).get("name").asText());
        assertEquals("/cves/CVE-2024-9143", json.get("scopes").get("cves").get("items").get(0).get("url").asText());

        Response redirect = resource.search(get("/search?q=Cve-2024-9143"));
        assertEquals(303, redirect.getStatus());
        assertEquals("/cves/CVE-2024-9143", redirect.getHeaderString("Location"));

        // An issue the feed does not have is an empty scope; the prefix of a TEMP id is normalised, the rest kept.
        JsonNode absent = json(resource.search(getJson("/search?q=temp-0000000-a1b2c3")));
        assertEquals(0, absent.get("scopes").get("cves").get("total").asInt());
        assertEquals(0, absent.get("scopes").get("cves").get("items").size());
        String html = html(resource.search(get("/search?q=temp-0000000-a1b2c3")));
        assertTrue(html, html.contains("<h2 id=\"scope-cves\">Vulnerabilities <span class=\"count-pill\">0</span></h2>"));

        // With a scope, or for text that is no issue name, the feed is not asked.
        assertFalse(json(resource.search(getJson("/search?q=CVE-2024-9143&scope=hosts"))).get("scopes").has("cves"));
        assertFalse(json(resource.search(getJson("/search?q=CVE-2024"))).get("scopes").has("cves"));
        verify(fleet, times(2)).issue("CVE-2024-9143");
        verify(fleet, times(2)).issue("TEMP-0000000-a1b2c3");
        verifyNoMoreInteractions(fleet);
    }
}
