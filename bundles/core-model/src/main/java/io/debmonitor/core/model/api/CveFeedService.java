package io.debmonitor.core.model.api;

import java.nio.file.Path;
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
     * @throws IllegalStateException when another import is running (on any node)
     * @throws StorageUnavailableException when the database cannot be used
     */
    CveSnapshotDTO importFeed(Path file, String origin);

    /** @return the snapshot readers use, or empty before the first import */
    Optional<CveSnapshotDTO> active();

    /** @return the most recent imports and checks, newest first */
    List<CveSnapshotDTO> history(int limit);
}
