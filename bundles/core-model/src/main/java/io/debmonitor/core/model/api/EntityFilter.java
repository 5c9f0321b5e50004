package io.debmonitor.core.model.api;

/**
 * Filters of the hosts and images tables (SPEC §5.2).
 *
 * @param q        case-insensitive substring of the name or the OS, or null
 * @param os       exact OS name, or null
 * @param upgrades which entities, by their upgrades; never null
 * @param inUse    images only: true for images with a kubernetes row, false for those without, null for all
 * @since 0.1.0
 */
public record EntityFilter(String q, String os, UpgradeFilter upgrades, Boolean inUse) {

    /** No filter. */
    public static final EntityFilter ALL = new EntityFilter(null, null, UpgradeFilter.ALL, null);
}
