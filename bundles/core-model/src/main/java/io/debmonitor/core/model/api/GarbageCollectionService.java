package io.debmonitor.core.model.api;

import java.time.Instant;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Garbage collection (SPEC §2.8): stale images and hosts with their rows, then orphaned package
 * versions, packages, source package versions, source packages and kernels, in transactions of
 * at most {@code batchSize} rows each. Ages and batch size come from the configuration PID
 * {@code io.debmonitor.gc}. Runs never overlap, also across server nodes sharing one database:
 * a run holds a lease row in the database and renews it in every batch.
 *
 * @since 0.2.0
 */
@ProviderType
public interface GarbageCollectionService {

    /**
     * Runs now (a manual run, from the shell or an administrator), recorded in the audit trail.
     *
     * @param actor  who asked, as the audit trail names actors (e.g. {@code shell:alice})
     * @param dryRun count what a run would delete, including the orphans that deleting stale
     *               hosts and images would leave, and change nothing
     * @return the steps in order with their counts
     * @throws GcRunningException when a run holds the lease (a dry run takes no lease and is
     *                            never refused)
     * @throws StorageUnavailableException when the database is unreachable
     */
    GcRunDTO run(String actor, boolean dryRun);

    /**
     * Runs for a scheduled slot, at most once per slot across all nodes sharing the database;
     * a run is recorded in the audit trail as actor {@code gc:schedule}.
     *
     * @param slot the schedule's nominal fire time, the same on every node however late it fires
     * @return the run, or empty when this slot (or a later one) is done, or another run holds the
     *         lease; a slot whose run failed or whose node died (its lease expired) is run again
     */
    Optional<GcRunDTO> runScheduled(Instant slot);
}
