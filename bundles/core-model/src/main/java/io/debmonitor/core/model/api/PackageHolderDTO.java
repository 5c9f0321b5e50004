package io.debmonitor.core.model.api;

/**
 * One host or image that has a given binary package installed.
 *
 * @param os          the entity's OS
 * @param version     installed version
 * @param kind        host or image
 * @param name        FQDN or image reference
 * @param upgrade     version it can be upgraded to, or null
 * @param upgradeType upgrade type, or null
 * @since 0.1.0
 */
public record PackageHolderDTO(String os, String version, EntityKind kind, String name, String upgrade, String upgradeType) {
}
