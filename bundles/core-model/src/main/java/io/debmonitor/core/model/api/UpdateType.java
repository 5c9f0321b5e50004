package io.debmonitor.core.model.api;

/**
 * The {@code update_type} of a report (SPEC §1.5). Only {@link #FULL} prunes rows.
 *
 * @since 0.1.0
 */
public enum UpdateType {
    FULL("full"), UPGRADABLE("upgradable"), DPKG_HOOK("dpkg_hook"), PARTIAL("partial");

    private final String wireName;

    UpdateType(String wireName) {
        this.wireName = wireName;
    }

    /** @return the value as it appears in the JSON payload */
    public String wireName() {
        return wireName;
    }

    /**
     * @param wireName a payload value such as {@code "dpkg_hook"}
     * @return the matching type, or {@code null} when the value is not one of the four
     */
    public static UpdateType fromWireName(String wireName) {
        for (UpdateType type : values()) {
            if (type.wireName.equals(wireName)) {
                return type;
            }
        }
        return null;
    }
}
