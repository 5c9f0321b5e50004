package io.debmonitor.core.model.api;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The Debian Security Tracker feed (CVE.md §1-§2): imports and the active snapshot.
 *
 * @since 0.4.0
 */
@ProviderType
public interface CveFeedService {

    /**
     * Imports a feed file, plain or gzip-compressed JSON, streaming it: readers keep the active
     * snapshot until the new one is complete, then switch to it at once. A file with the active
     * snapshot's sha256 imports nothing.
     *
     * @param origin where the file came from, e.g. {@code file:/tmp/json} or {@code upload:alice}
     * @return the new snapshot ({@code active}), or the record of an {@code unchanged} check
     * @throws IllegalArgumentException when the file is not a feed; the failure is recorded and the
     *         active snapshot stays
     * @throws IllegalStateException when another import is running (on any node), or when CVE
     *         correlation is turned off ({@link #enabled()})
     * @throws StorageUnavailableException when the database cannot be used
     */
    default CveSnapshotDTO importFeed(Path file, String origin) {
        return importFeed(file, origin, null);
    }

    /**
     * As {@link #importFeed(Path, String)}, for a file fetched over HTTP: the snapshot records the
     * response's {@code Last-Modified} (CVE.md §2.3).
     *
     * @param lastModified the response's {@code Last-Modified}, or null when it had none (or for a
     *                     file or an upload)
     * @since 0.6.0
     */
    CveSnapshotDTO importFeed(Path file, String origin, Instant lastModified);

    /**
     * @return whether CVE correlation is on (PID {@code io.debmonitor.cve}, {@code enabled}): when
     *         off, the CVE pages answer 404, imports and fetches are refused and no finding is
     *         recomputed
     * @since 0.6.0
     */
    boolean enabled();

    /** @return the snapshot readers use, or empty before the first import */
    Optional<CveSnapshotDTO> active();

    /** @return the most recent imports and checks, newest first */
    List<CveSnapshotDTO> history(int limit);

    /**
     * Imports a side file of the tracker (CVE.md §1.5, §1.7): a DSA or DLA list, read line by line,
     * or {@code distributions.json}, read as a stream. Its rows replace those of the previous import
     * of that kind at once; a file with the sha256 of the active import of its kind imports nothing.
     * A new codename mapping (distributions) marks every host and image for recomputation; the
     * advisory lists only label findings, so they change no verdict.
     *
     * @param origin       where the file came from, e.g. {@code file:/tmp/list} or {@code upload:alice}
     * @param lastModified the {@code Last-Modified} of the HTTP response the file came from, or null
     *                     when it had none (or for a file or an upload), as for {@link #importFeed(Path, String, Instant)}
     * @return the import ({@code active}), or the record of an {@code unchanged} one
     * @throws IllegalArgumentException when the file is not of that kind (no advisory, not a
     *         distributions object); the failure is recorded and the active import stays
     * @throws IllegalStateException when another side-file import is running (on any node), or when
     *         CVE correlation is turned off ({@link #enabled()})
     * @throws StorageUnavailableException when the database cannot be used
     * @since 0.6.0
     */
    CveListImportDTO importList(CveListKind kind, Path file, String origin, Instant lastModified);

    /**
     * @return per kind that was ever imported, in the order of {@link CveListKind}: its active import,
     *         then its latest import or check when that is another one (unchanged, failed)
     * @since 0.6.0
     */
    List<CveListImportDTO> lists();
}
