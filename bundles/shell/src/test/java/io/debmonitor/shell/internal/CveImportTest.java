package io.debmonitor.shell.internal;

import static org.junit.Assert.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.Test;

import io.debmonitor.core.model.api.CveFeedService;
import io.debmonitor.core.model.api.CveFleetService;
import io.debmonitor.core.model.api.CveIssueDTO;
import io.debmonitor.core.model.api.CveFetchService;
import io.debmonitor.core.model.api.CveListImportDTO;
import io.debmonitor.core.model.api.CveListKind;
import io.debmonitor.core.model.api.CveSnapshotDTO;
import io.debmonitor.core.model.api.PageDTO;

/** cve-import with the tracker's side files, cve-feed's lines for them, and cve-show's advisory (CVE.md §2.2, §11.7). */
public class CveImportTest {

    private static final Instant AT = Instant.parse("2026-12-04T10:00:00.250Z");
    private static final String SHA = "ab".repeat(32);

    private final CveFeedService feed = mock(CveFeedService.class);

    private CveImport command(String file, String dsa, String dla, String distributions) {
        CveImport command = new CveImport();
        command.feed = feed;
        command.file = file;
        command.dsa = dsa;
        command.dla = dla;
        command.distributions = distributions;
        return command;
    }

    private static CveListImportDTO list(long id, CveListKind kind, String result, long entries, String error) {
        return new CveListImportDTO(id, kind, AT, AT, "file:/tmp/" + kind.word(), null, SHA, entries, 0, result, error);
    }

    @Test
    public void theListsAreImportedAfterTheFeedAndEachPrintsItsSummary() throws Exception {
        when(feed.importList(eq(CveListKind.DSA), any(), any(), isNull())).thenReturn(list(3, CveListKind.DSA, "active", 2, null));
        when(feed.importList(eq(CveListKind.DISTRIBUTIONS), any(), any(), isNull())).thenReturn(list(4, CveListKind.DISTRIBUTIONS, "unchanged", 5,
                null));
        List<String> printed = Console.run(command(null, "/tmp/DSA", null, "/tmp/distributions.json"));
        assertEquals(List.of(
                "Unchanged: the active distributions.json has the same sha256 " + SHA + "; nothing imported",
                "DSA list: import 3 (active)",
                "Imported: 2026-12-04T10:00:00Z",
                "Origin: file:/tmp/dsa",
                "sha256: " + SHA,
                "Advisories: 2",
                "Skipped: 0"), printed);
        verify(feed).importList(CveListKind.DSA, Path.of("/tmp/DSA"), "file:/tmp/DSA", null);
        verify(feed, never()).importFeed(any(), any());
    }

    @Test
    public void withoutAnyFileOrWithABadListTheCommandFails() throws Exception {
        assertEquals("Give the feed FILE, or at least one of --dsa, --dla and --distributions.", Console.fail(command(null, null, null, null))
                .message());
        when(feed.importFeed(any(), any())).thenReturn(new CveSnapshotDTO(7, AT, AT, "file:/tmp/json", null, SHA, "active", List.of("bookworm"),
                Map.of("bookworm", 10L), 0, null, null, null, null));
        when(feed.importList(eq(CveListKind.DLA), any(), any(), isNull())).thenThrow(new IllegalArgumentException(
                "The DLA list holds no advisory (lines like '[07 Feb 2023] DSA-5343-1 openssl - security update')."));
        Console.Failure failure = Console.fail(command("/tmp/json", null, "/tmp/DLA", null));
        assertEquals("The DLA list holds no advisory (lines like '[07 Feb 2023] DSA-5343-1 openssl - security update').", failure.message());
        assertEquals("the feed was imported first", "Snapshot: 7 (active)", failure.printed().get(0));
    }

    @Test
    public void cveFeedListsTheSideFilesBeforeTheLastCheck() throws Exception {
        when(feed.active()).thenReturn(Optional.empty());
        when(feed.history(1)).thenReturn(List.of());
        when(feed.lists()).thenReturn(List.of(
                new CveListImportDTO(3, CveListKind.DSA, AT, AT, "https://salsa.example.org/DSA/list", java.time.Instant.parse("2023-02-07T10:00:00Z"),
                        SHA, 2, 0, "active", null),
                list(5, CveListKind.DSA, "failed", 0, "The DSA list holds no advisory."),
                list(4, CveListKind.DISTRIBUTIONS, "active", 5, null)));
        CveFeed command = new CveFeed();
        command.feed = feed;
        command.fetch = mock(CveFetchService.class);
        assertEquals(List.of(
                "Active snapshot: none (import one with debmonitor:cve-import FILE)",
                "DSA list: 2 advisories, imported 2026-12-04T10:00:00Z from https://salsa.example.org/DSA/list, Last-Modified"
                        + " 2023-02-07T10:00:00Z",
                "DSA list last check: 2026-12-04T10:00:00Z  failed  file:/tmp/dsa  The DSA list holds no advisory.",
                "distributions.json: 5 codenames, imported 2026-12-04T10:00:00Z from file:/tmp/distributions",
                "Scheduled fetch: off (io.debmonitor.cve.fetch enabled = false)"), Console.run(command));
    }

    @Test
    public void cveShowNamesTheAdvisoryOfDebiansRow() throws Exception {
        CveFleetService cves = mock(CveFleetService.class);
        when(cves.issue("CVE-2023-22809")).thenReturn(Optional.of(new CveIssueDTO("CVE-2023-22809", null, null, null, List.of(), List.of(
                new CveIssueDTO.Debian("sudo", "bookworm", "resolved", "1.9.12p2-1", "not yet assigned", null, null, false, Map.of()),
                new CveIssueDTO.Debian("sudo", "bullseye", "resolved", "1.9.5p2-3+deb11u1", "not yet assigned", null, null, false, Map.of(),
                        "DSA-5321-1")))));
        when(cves.findings(eq("CVE-2023-22809"), any(), any())).thenReturn(new PageDTO<>(1, 1000, 0, List.of()));
        CveShow command = new CveShow();
        command.cves = cves;
        command.id = "CVE-2023-22809";
        assertEquals(List.of("sudo  bookworm  resolved  1.9.12p2-1  not yet assigned",
                "sudo  bullseye  resolved  1.9.5p2-3+deb11u1  not yet assigned  DSA-5321-1", "0 findings"), Console.run(command));
    }
}
