package io.debmonitor.core.model.api;

/**
 * Filters of a binary package's table of hosts and images (SPEC §5.2).
 *
 * @param q        case-insensitive substring of the host or image name, or null
 * @param os       exact OS name, or null
 * @param version  exact installed version, or null
 * @param kind     only hosts or only images, or null for both
 * @param upgrades which rows, by their upgrade; never null
 * @since 0.1.0
 */
public record HolderFilter(String q, String os, String version, EntityKind kind, UpgradeFilter upgrades) {

    /** No filter. */
    public static final HolderFilter ALL = new HolderFilter(null, null, null, null, UpgradeFilter.ALL);
}
