package io.debmonitor.core.model.api;

import java.time.Instant;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Reads package history: what each report changed on a host or an image, the state of an
 * entity at a past time, and a package's rollout across the fleet. Events are written by the
 * report's own transaction and pruned by garbage collection after the retention.
 *
 * @since 0.4.0
 */
@ProviderType
public interface HistoryService {

    /** The longest rollout, in days. */
    int MAX_ROLLOUT_DAYS = 400;

    /**
     * One page of an entity's events, newest first. A keyset read ({@link PageRequest#keyset}) is in
     * the same order, its key the event id.
     *
     * @return the page; empty with total 0 when the entity is unknown
     */
    PageDTO<HistoryEventDTO> timeline(EntityKind kind, String name, HistoryFilter filter, PageRequest request);

    /**
     * @return the entity's rows as they were at {@code when}, or empty when no such entity is stored
     * @throws IllegalArgumentException when {@code when} is in the future
     */
    Optional<AsOfDTO> asOf(EntityKind kind, String name, Instant when);

    /**
     * @param days 1..{@link #MAX_ROLLOUT_DAYS}: today and the {@code days - 1} days before it
     * @return the counts per version and day; no versions for a package nobody has or had
     * @throws IllegalArgumentException when {@code days} is out of range
     */
    RolloutDTO rollout(EntityKind kind, String packageName, int days);
}
