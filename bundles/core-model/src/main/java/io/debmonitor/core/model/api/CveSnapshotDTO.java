package io.debmonitor.core.model.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One import of the Debian Security Tracker feed (CVE.md §2.3).
 *
 * @param origin        {@code file:<path>}, {@code upload:<user>} or the feed URL
 * @param lastModified  the {@code Last-Modified} of the HTTP response the file came from (CVE.md
 *                      §2.1), or null for a file or an upload; since 0.6.0
 * @param result        {@code active} (the snapshot readers use), {@code superseded},
 *                      {@code unchanged} (the same sha256 as the active one: nothing imported),
 *                      {@code failed} or {@code importing}
 * @param releases      the codenames present anywhere in the document
 * @param rowsByRelease the (release, source, issue) rows kept per release
 * @param skipped       malformed entries or release objects left out
 * @param error         why it failed, or null
 * @param added         rows new since the snapshot active before, or null for the first one
 * @param removed       rows gone since then, or null
 * @param changed       rows whose status, fixed version, urgency, no-DSA reason or point-release flag changed, or null
 * @since 0.4.0
 */
public record CveSnapshotDTO(long id, Instant started, Instant finished, String origin, Instant lastModified, String sha256, String result,
        List<String> releases, Map<String, Long> rowsByRelease, long skipped, String error, Long added, Long removed, Long changed) {
}
