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
 * @param cves     {@code affected}: entities with a CVE counted in the headline; {@code fixable}: with
 *                 one whose fix their APT offers; null for all (CVE.md §11.4; since 0.5.0)
 * @since 0.1.0
 */
public record EntityFilter(String q, String os, UpgradeFilter upgrades, Boolean inUse, Instant notUpdatedSince, Boolean stale,
        String cves) {

    /** No filter. */
    public static final EntityFilter ALL = new EntityFilter(null, null, UpgradeFilter.ALL, null, null, null, null);

    /** @throws IllegalArgumentException for a {@code cves} value other than affected or fixable */
    public EntityFilter {
        if (cves != null && !cves.equals("affected") && !cves.equals("fixable")) {
            throw new IllegalArgumentException("cves must be affected or fixable, not '" + cves + "'.");
        }
    }

    /** The filter without a CVE condition. */
    public EntityFilter(String q, String os, UpgradeFilter upgrades, Boolean inUse, Instant notUpdatedSince, Boolean stale) {
        this(q, os, upgrades, inUse, notUpdatedSince, stale, null);
    }

    /** The filter without the staleness policy. */
    public EntityFilter(String q, String os, UpgradeFilter upgrades, Boolean inUse, Instant notUpdatedSince) {
        this(q, os, upgrades, inUse, notUpdatedSince, null);
    }

    /** The filter without a staleness condition. */
    public EntityFilter(String q, String os, UpgradeFilter upgrades, Boolean inUse) {
        this(q, os, upgrades, inUse, null);
    }
}
