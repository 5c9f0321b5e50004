package io.debmonitor.core.model.api;

/**
 * The record of one binary package on one host or image.
 *
 * @param name        binary package name; never null
 * @param version     installed version; never null
 * @param upgrade     version it can be upgraded to, or null
 * @param upgradeType upgrade type, or null when there is none
 * @since 0.1.0
 */
public record PackageRowDTO(String name, String version, String upgrade, String upgradeType) {

    /** @return true when this row is a security upgrade: it has an upgrade and its type is exactly {@code security} */
    public boolean isSecurityUpgrade() {
        return upgrade != null && "security".equals(upgradeType);
    }
}
