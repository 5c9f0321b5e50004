package io.debmonitor.core.model.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Fetches the tracker feed and its side files from their URLs (CVE.md §2.1; PID
 * {@code io.debmonitor.cve.fetch}): the feed, then {@code distributions.json}, the DSA list and the
 * DLA list, each skipped when its URL is empty. Each GET is conditional on the {@code Last-Modified}
 * of the last import of that URL; a 200 body is streamed to a temporary file while its sha256 is
 * computed, and imported unless it has the sha256 of the last import. Every check is recorded in
 * the database. One fetch runs at a time across all nodes; a failed one keeps the data active.
 *
 * @since 0.6.0
 */
@ProviderType
public interface CveFetchService {

    /**
     * Fetches every configured URL now, whether or not the scheduled fetch is enabled.
     *
     * @param force ignore the last import's {@code Last-Modified} and sha256 (the import's own rule
     *              still imports nothing when the file equals the active one)
     * @return one check per URL, in fetch order; a failed one has result {@code FAILED}
     * @throws IllegalStateException when a fetch is already running (on any node), or when CVE
     *         correlation is turned off
     * @throws StorageUnavailableException when the database cannot be used
     */
    List<CveFetchCheckDTO> fetch(boolean force);

    /**
     * The scheduled fetch: at most once per slot across all nodes sharing the database, and only
     * while the scheduled fetch and CVE correlation are enabled.
     *
     * @param slot when the schedule fired, truncated to the minute by the caller; every node
     *             firing for the same slot passes the same instant
     * @return the checks, or empty when the fetch is off, or a fetch for this slot (or a later one)
     *         already started, or another fetch holds the lease
     */
    Optional<List<CveFetchCheckDTO>> fetchScheduled(Instant slot);

    /** @return the last check of each URL kind ever checked, in fetch order */
    List<CveFetchCheckDTO> checks();

    /** @return the Quartz schedule of the scheduled fetch, or null when it is off */
    String schedule();
}
