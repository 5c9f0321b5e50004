package io.debmonitor.core.model.api;

/**
 * What one history event records about one package row of a host or an image.
 *
 * @since 0.4.0
 */
public enum HistoryEvent {
    /** The entity's history began: the rows it had then stand for their own installs. No package. */
    BASELINE,
    /** A package row appeared. */
    INSTALLED,
    /** A package row went away. */
    REMOVED,
    /** The installed version rose (dpkg order). */
    UPGRADED,
    /** The installed version fell (dpkg order). */
    DOWNGRADED,
    /** An upgrade became available, or the offered version or its type changed; the installed version did not. */
    UPGRADE_OFFERED,
    /** The offered upgrade went away; the installed version did not change. */
    UPGRADE_WITHDRAWN;

    /** @return the stored and JSON form, e.g. {@code upgrade_offered} */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** @return the event named {@code wireName}, or null when none is */
    public static HistoryEvent fromWireName(String wireName) {
        for (HistoryEvent event : values()) {
            if (event.wireName().equals(wireName)) {
                return event;
            }
        }
        return null;
    }
}
