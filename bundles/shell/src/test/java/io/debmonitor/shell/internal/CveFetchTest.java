package io.debmonitor.shell.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.Test;

import io.debmonitor.core.model.api.CveFeedService;
import io.debmonitor.core.model.api.CveFetchCheckDTO;
import io.debmonitor.core.model.api.CveFetchCheckDTO.Result;
import io.debmonitor.core.model.api.CveFetchService;
import io.debmonitor.core.model.api.CveSnapshotDTO;

/** cve-fetch, and the fetch's lines of cve-feed (CVE.md §2.1, §11.7). */
public class CveFetchTest {

    private static final Instant AT = Instant.parse("2026-12-04T10:00:00.250Z");
    private static final Instant MODIFIED = Instant.parse("2026-12-04T09:55:00Z");
    private static final String FEED_URL = "https://security-tracker.debian.org/tracker/data/json";
    private static final String DSA_URL = "https://salsa.debian.org/security-tracker-team/security-tracker/raw/master/data/DSA/list";

    private final CveFetchService fetch = mock(CveFetchService.class);

    private CveFetch command(boolean force) {
        CveFetch command = new CveFetch();
        command.fetch = fetch;
        command.force = force;
        return command;
    }

    private static CveFetchCheckDTO check(String kind, String url, Result result, String summary, String error) {
        return new CveFetchCheckDTO(kind, url, AT, result, error == null ? 200 : 404, MODIFIED, null, summary, error, AT, MODIFIED);
    }

    @Test
    public void oneLinePerUrl() throws Exception {
        when(fetch.fetch(true)).thenReturn(List.of(
                check("feed", FEED_URL, Result.IMPORTED, "snapshot 12: bookworm 21, sid 13 rows, 0 skipped; 1 added, 0 removed, 0 changed", null),
                check("distributions", "https://security-tracker.debian.org/tracker/distributions.json", Result.NOT_MODIFIED, null, null),
                check("dsa", DSA_URL, Result.UNCHANGED, null, null)));
        assertEquals(List.of(
                "feed: imported snapshot 12: bookworm 21, sid 13 rows, 0 skipped; 1 added, 0 removed, 0 changed",
                "distributions: unchanged (304)",
                "dsa: unchanged (sha256)"), Console.run(command(true)));
    }

    @Test
    public void aFailedUrlFailsTheCommandAfterItsLine() throws Exception {
        when(fetch.fetch(false)).thenReturn(List.of(check("feed", FEED_URL, Result.NOT_MODIFIED, null, null),
                check("dsa", DSA_URL, Result.FAILED, null, "HTTP 404 from " + DSA_URL)));
        CveFetch command = command(false);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.PrintStream original = System.out;
        System.setOut(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
        IllegalStateException e;
        try {
            e = assertThrows(IllegalStateException.class, command::execute);
        } finally {
            System.setOut(original);
        }
        assertEquals("1 of 2 fetches failed; the data imported before stays", e.getMessage());
        assertEquals(List.of("feed: unchanged (304)", "dsa: failed: HTTP 404 from " + DSA_URL),
                bytes.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList());

        when(fetch.fetch(false)).thenThrow(new IllegalStateException("A CVE fetch is already running (on this node or another); try again"
                + " when it has ended."));
        assertEquals("A CVE fetch is already running (on this node or another); try again when it has ended.",
                assertThrows(IllegalStateException.class, command::execute).getMessage());
    }

    @Test
    public void cveFeedShowsTheLastModifiedAndTheLastCheckOfEachUrl() throws Exception {
        CveFeedService feed = mock(CveFeedService.class);
        CveSnapshotDTO active = new CveSnapshotDTO(12, AT, AT, FEED_URL, MODIFIED, "ab".repeat(32), "active", List.of("bookworm"),
                Map.of("bookworm", 21L), 0, null, null, null, null);
        when(feed.active()).thenReturn(Optional.of(active));
        when(feed.history(1)).thenReturn(List.of(active));
        when(fetch.schedule()).thenReturn("0 7 0/6 * * ?");
        when(fetch.checks()).thenReturn(List.of(check("feed", FEED_URL, Result.NOT_MODIFIED, null, null),
                check("dsa", DSA_URL, Result.FAILED, null, "HTTP 404 from " + DSA_URL)));
        CveFeed command = new CveFeed();
        command.feed = feed;
        command.fetch = fetch;
        assertEquals(List.of(
                "Snapshot: 12 (active)",
                "Imported: 2026-12-04T10:00:00Z",
                "Origin: " + FEED_URL,
                "Last-Modified: 2026-12-04T09:55:00Z",
                "sha256: " + "ab".repeat(32),
                "Releases: bookworm",
                "Rows: bookworm=21",
                "Skipped: 0",
                "Scheduled fetch: 0 7 0/6 * * ?",
                "Fetch feed: 2026-12-04T10:00:00Z  unchanged (304)  " + FEED_URL,
                "Fetch dsa: 2026-12-04T10:00:00Z  failed: HTTP 404 from " + DSA_URL + "  " + DSA_URL), Console.run(command));
    }
}
