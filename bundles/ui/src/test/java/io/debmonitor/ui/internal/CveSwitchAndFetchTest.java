package io.debmonitor.ui.internal;

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
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.core.Response;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.debmonitor.core.model.api.CallerDTO;
import io.debmonitor.core.model.api.CveDashboardDTO;
import io.debmonitor.core.model.api.CveFeedService;
import io.debmonitor.core.model.api.CveFetchCheckDTO;
import io.debmonitor.core.model.api.CveFetchCheckDTO.Result;
import io.debmonitor.core.model.api.CveFetchService;
import io.debmonitor.core.model.api.CveFleetService;
import io.debmonitor.core.model.api.CveService;
import io.debmonitor.core.model.api.CveSnapshotDTO;
import io.debmonitor.core.model.api.DashboardDTO;
import io.debmonitor.core.model.api.DashboardService;
import io.debmonitor.core.model.api.EntityDTO;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.EntityService;
import io.debmonitor.core.model.api.HistoryService;
import io.debmonitor.core.model.api.KernelService;
import io.debmonitor.core.model.api.KubernetesService;
import io.debmonitor.core.model.api.SearchResultDTO;
import io.debmonitor.core.model.api.SearchService;
import io.debmonitor.core.model.api.SessionDTO;

/**
 * PID io.debmonitor.cve's {@code enabled} in the UI (the CVE pages answer 404, the menu entry and the
 * dashboard card go), and the fetch's part of /cve-feed/ (CVE.md §2.1, §11.6).
 */
public class CveSwitchAndFetchTest {

    private static final String FEED_URL = "https://security-tracker.debian.org/tracker/data/json";
    private static final String NAV_ENTRY = "<a href=\"/cves/\">Vulnerabilities</a>";

    private final CveFeedService feed = mock(CveFeedService.class);
    private final CveFetchService fetch = mock(CveFetchService.class);
    private final CveFleetService fleet = mock(CveFleetService.class);
    private final Pages pages = UiTestSupport.pages(config());

    private Pages off() {
        when(feed.enabled()).thenReturn(false);
        pages.cveFeed = feed;
        return pages;
    }

    private static void notFound(Response response) {
        assertEquals(Pages.CVE_OFF, json(response, 404).get("error").asText());
    }

    @Test
    public void offTheCvePagesAnswer404() {
        off();
        CveResource cves = new CveResource(fleet, pages);
        notFound(cves.cves(getJson("/cves/")));
        notFound(cves.cve("CVE-2024-9143", getJson("/cves/CVE-2024-9143")));
        String page = html(cves.cves(get("/cves/")), 404);
        assertTrue(page, page.contains(Pages.CVE_OFF));
        assertFalse("no menu entry", page.contains(NAV_ENTRY));

        CveFeedResource feedPage = new CveFeedResource(feed, fetch, pages);
        notFound(feedPage.cveFeed(getJson("/cve-feed/")));
        SessionDTO admin = new SessionDTO("admin-token", "root", Set.of("admin", "viewer"), "csrf-root", NOW, NOW);
        HttpServletRequest upload = UiTestSupport.get("/cve-feed/upload", new CallerDTO(Set.of(), null, true, admin), "application/json");
        when(upload.getMethod()).thenReturn("POST");
        when(upload.getContentType()).thenReturn("multipart/form-data; boundary=x");
        notFound(feedPage.upload(upload, new ByteArrayInputStream(new byte[0])));
        verify(feed, never()).importFeed(any(), any());

        EntityService entities = mock(EntityService.class);
        when(entities.find(EntityKind.HOST, "db1.example.org")).thenReturn(Optional.of(new EntityDTO(EntityKind.HOST, "db1.example.org",
                "Debian 12", null, null, NOW, NOW, 10, 0, 0, 0, null)));
        CveService cveService = mock(CveService.class);
        EntityResource hosts = new EntityResource(entities, mock(KernelService.class), mock(KubernetesService.class), STALENESS,
                mock(HistoryService.class), cveService, mock(io.debmonitor.core.model.api.CveFleetService.class), pages, Clock.fixed(NOW, ZoneOffset.UTC), "0.1.0.SNAPSHOT");
        notFound(hosts.host("db1.example.org", getJson("/hosts/db1.example.org?tab=cves")));
        verify(cveService, never()).page(any(), any(), any(), any());

        SearchService search = mock(SearchService.class);
        when(search.search(anyString(), any(), anyInt())).thenReturn(new SearchResultDTO("CVE-2024-9143", Map.of()));
        json(new SearchResource(search, fleet, pages).search(getJson("/search?q=CVE-2024-9143")));
        verify(fleet, never()).issue(anyString());
    }

    @Test
    public void offTheDashboardHasNoVulnerabilitiesCard() {
        DashboardService dashboard = mock(DashboardService.class);
        when(dashboard.counts()).thenReturn(new DashboardDTO(new DashboardDTO.Entities(3, 0, 0, NOW, NOW, 0),
                new DashboardDTO.Entities(1, 0, 0, NOW, NOW, 0), 1, 1, new DashboardDTO.Targets(10, 0, 0), new DashboardDTO.Targets(10, 0, 0), 5,
                5, new DashboardDTO.Upgrades(0, 0, 0, 0)));
        when(fleet.dashboard()).thenReturn(new CveDashboardDTO(Map.of(), 0, 0, 0, 0, 0, 0, null, null, true));
        DashboardResource resource = new DashboardResource(dashboard, fleet, STALENESS, pages);
        String on = html(resource.dashboard(get("/")));
        assertTrue(on, on.contains(NAV_ENTRY) && on.contains("id=\"card-cves\""));

        off();
        JsonNode json = json(resource.dashboard(getJson("/")));
        assertFalse(keys(json), json.has("cves"));
        String page = html(resource.dashboard(get("/")));
        assertFalse(page, page.contains("card-cves"));
        assertFalse(page, page.contains(NAV_ENTRY));
        verify(fleet, org.mockito.Mockito.times(1)).dashboard();
    }

    @Test
    public void theFeedPageShowsTheLastModifiedAndTheLastCheckOfEachUrl() {
        CveSnapshotDTO active = new CveSnapshotDTO(5, NOW, NOW, FEED_URL, NOW.minusSeconds(3600), "ab".repeat(32), "active", List.of("bookworm"),
                Map.of("bookworm", 40L), 0, null, null, null, null);
        when(feed.active()).thenReturn(Optional.of(active));
        when(feed.history(CveFeedResource.RECENT)).thenReturn(List.of(active));
        when(fetch.schedule()).thenReturn("0 7 0/6 * * ?");
        when(fetch.checks()).thenReturn(List.of(
                new CveFetchCheckDTO("feed", FEED_URL, NOW, Result.NOT_MODIFIED, 304, null, null, null, null, NOW.minusSeconds(600),
                        NOW.minusSeconds(3600)),
                new CveFetchCheckDTO("dsa", "https://salsa.example.org/DSA/list", NOW, Result.FAILED, 404, null, null, null,
                        "HTTP 404 from https://salsa.example.org/DSA/list", null, null)));
        CveFeedResource resource = new CveFeedResource(feed, fetch, pages);

        JsonNode json = json(resource.cveFeed(getJson("/cve-feed/")));
        assertEquals("2025-07-03T16:10:09.483Z", json.get("active").get("last_modified").asText());
        assertEquals("schedule,checks", keys(json.get("fetch")));
        assertEquals("0 7 0/6 * * ?", json.get("fetch").get("schedule").asText());
        JsonNode check = json.get("fetch").get("checks").get(0);
        assertEquals("kind,url,checked,result,result_label,http_status,last_modified,sha256,summary,error,imported,imported_last_modified",
                keys(check));
        assertEquals("not_modified", check.get("result").asText());
        assertEquals("unchanged (304)", check.get("result_label").asText());
        assertEquals("2025-07-03T16:10:09.483Z", check.get("imported_last_modified").asText());
        assertEquals("failed", json.get("fetch").get("checks").get(1).get("result").asText());

        String page = html(resource.cveFeed(get("/cve-feed/")));
        assertTrue(page, page.contains("<dt>Last-Modified</dt>"));
        assertTrue(page, page.contains("on the schedule <code>0 7 0/6 * * ?</code>"));
        assertTrue(page, page.contains("<td>unchanged (304) (HTTP 304)</td>"));
        assertTrue(page, page.contains("<td>HTTP 404 from https://salsa.example.org/DSA/list</td>"));

        when(fetch.schedule()).thenReturn(null);
        when(fetch.checks()).thenReturn(List.of());
        page = html(resource.cveFeed(get("/cve-feed/")));
        assertTrue(page, page.contains("The scheduled fetch is off"));
        assertTrue(page, page.contains("Never fetched."));
    }
}
