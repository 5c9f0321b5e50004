package io.debmonitor.core.model.api;

import java.time.Instant;

/**
 * Filters of the hosts and images tables (SPEC §5.2).
 *
 * @param q        case-insensitive substring of the name or the OS, or null
 * @param os       exact OS name, or null
 * @param upgrades which entities, by their upgrades; never null
 * @param inUse    images only: true for images with a kubernetes row, false for those without, null for all
 * @param notUpdatedSince only entities whose last report is older than this, or null for all
 *                 (since 0.2.0)
 * @param stale    true for the entities that are stale under the {@link StalenessPolicy}, false for
 *                 the others, null for all (since 0.3.0)
 * @since 0.1.0
 */
public record EntityFilter(String q, String os, UpgradeFilter upgrades, Boolean inUse, Instant notUpdatedSince, Boolean stale) {

    /** No filter. */
    public static final EntityFilter ALL = new EntityFilter(null, null, UpgradeFilter.ALL, null, null, null);

    /** The filter without the staleness policy. */
    public EntityFilter(String q, String os, UpgradeFilter upgrades, Boolean inUse, Instant notUpdatedSince) {
        this(q, os, upgrades, inUse, notUpdatedSince, null);
    }

    /** The filter without a staleness condition. */
    public EntityFilter(String q, String os, UpgradeFilter upgrades, Boolean inUse) {
        this(q, os, upgrades, inUse, null);
    }
}
