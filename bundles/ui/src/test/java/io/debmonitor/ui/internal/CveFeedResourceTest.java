package io.debmonitor.ui.internal;

import static io.debmonitor.ui.internal.UiTestSupport.NOW;
import static io.debmonitor.ui.internal.UiTestSupport.config;
import static io.debmonitor.ui.internal.UiTestSupport.get;
import static io.debmonitor.ui.internal.UiTestSupport.getJson;
import static io.debmonitor.ui.internal.UiTestSupport.html;
import static io.debmonitor.ui.internal.UiTestSupport.json;
import static io.debmonitor.ui.internal.UiTestSupport.keys;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.debmonitor.core.model.api.CveFeedService;
import io.debmonitor.core.model.api.CveSnapshotDTO;

/** {@code /cve-feed/}: the active snapshot and the recent imports. */
public class CveFeedResourceTest {

    private final CveFeedService feed = mock(CveFeedService.class);
    private final CveFeedResource resource = new CveFeedResource(feed, UiTestSupport.pages(config()));

    @Test
    public void theActiveSnapshotAndRecentChecks() {
        CveSnapshotDTO active = new CveSnapshotDTO(2, NOW, NOW, "file:/var/tmp/json", "ab".repeat(32), "active", List.of("bookworm", "sid"),
                Map.of("bookworm", 40L, "sid", 30L), 0, null, 1L, 2L, 3L);
        CveSnapshotDTO failed = new CveSnapshotDTO(3, NOW, NOW, "file:/tmp/<x>.json", "cd".repeat(32), "failed", List.of(), Map.of(), 0,
                "The feed is not valid JSON (truncated?): <eof>", null, null, null);
        when(feed.active()).thenReturn(Optional.of(active));
        when(feed.history(CveFeedResource.RECENT)).thenReturn(List.of(failed, active));
        JsonNode json = json(resource.cveFeed(getJson("/cve-feed/")));
        assertEquals("active,imports", keys(json));
        assertEquals(2, json.get("active").get("id").asInt());
        assertEquals(40, json.get("active").get("rows").get("bookworm").asInt());
        assertEquals("failed", json.get("imports").get(0).get("result").asText());
        String page = html(resource.cveFeed(get("/cve-feed/")));
        assertTrue(page, page.contains("bookworm (40 rows)"));
        assertTrue(page, page.contains("1 added, 2 removed, 3 changed"));
        assertTrue("escaped", page.contains("file:/tmp/&lt;x&gt;.json"));
        assertEquals(301, resource.cveFeed(get("/cve-feed")).getStatus());
        assertEquals(400, resource.cveFeed(getJson("/cve-feed/?page=2")).getStatus());

        when(feed.active()).thenReturn(Optional.empty());
        when(feed.history(CveFeedResource.RECENT)).thenReturn(List.of());
        assertTrue(json(resource.cveFeed(getJson("/cve-feed/"))).get("active").isNull());
        assertTrue(html(resource.cveFeed(get("/cve-feed/"))).contains("No feed imported yet"));
    }
}
