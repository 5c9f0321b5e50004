package io.debmonitor.core.model.api;

/**
 * Which entities or rows to list by their upgrades (the {@code upgrades=} filter of SPEC §5.2).
 *
 * @since 0.1.0
 */
public enum UpgradeFilter {
    /** Everything. */
    ALL,
    /** Only those with at least one upgrade. */
    UPGRADABLE,
    /** Only those with at least one security upgrade (upgrade type exactly {@code security}). */
    SECURITY
}
