package io.debmonitor.core.model.api;

import java.time.Instant;

/**
 * One import of a side file of the tracker (CVE.md §1.5, §1.7, §11.6).
 *
 * @param origin       {@code file:<path>}, {@code upload:<user>} or the URL it was fetched from
 * @param lastModified the {@code Last-Modified} of the HTTP response a fetched file came from, or null for a file, an
 *                     upload, or a response without a readable one
 * @param entries      the advisories (DSA, DLA) or codenames (distributions) the file holds; for an
 *                     {@code unchanged} import, those of the active one
 * @param skipped      lines or entries left out as unreadable
 * @param result       {@code active} (the one readers use), {@code superseded}, {@code unchanged} (the
 *                     same sha256 as the active one of its kind: nothing imported), {@code failed} or
 *                     {@code importing}
 * @param error        why it failed, or null
 * @since 0.6.0
 */
public record CveListImportDTO(long id, CveListKind kind, Instant started, Instant finished, String origin, Instant lastModified,
        String sha256, long entries, long skipped, String result, String error) {
}
