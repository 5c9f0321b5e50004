package io.debmonitor.core.model.api;

/**
 * Filters of a host's or image's package table (SPEC §5.2).
 *
 * @param q        case-insensitive substring of the package name, or null
 * @param upgrades which rows, by their upgrade; never null
 * @since 0.1.0
 */
public record RowFilter(String q, UpgradeFilter upgrades) {

    /** No filter. */
    public static final RowFilter ALL = new RowFilter(null, UpgradeFilter.ALL);
}
