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
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.debmonitor.core.model.api.DashboardDTO;
import io.debmonitor.core.model.api.DashboardService;
import io.debmonitor.core.model.api.SearchResultDTO;
import io.debmonitor.core.model.api.SearchService;

public class SearchAndDashboardTest {

    private final Pages pages = UiTestSupport.pages(config("search_minLength", 4, "search_maxResults", 2));
    private final SearchService search = mock(SearchService.class);
    private final SearchResource resource = new SearchResource(search, pages);

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
        DashboardResource dashboardResource = new DashboardResource(dashboard, STALENESS, pages);
        JsonNode json = json(dashboardResource.dashboard(getJson("/")));
        assertEquals("hosts,images,kernels,kubernetes,packages,package_versions,source_packages,upgrades", keys(json));
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
}
