package io.debmonitor.core.model.api;

/**
 * How many rows have one version of a binary package installed, or as their upgrade.
 *
 * @param os          OS of the version
 * @param version     the version
 * @param installed   rows (hosts and images) with it installed
 * @param upgradable  rows that can be upgraded to it
 * @param security    of those, security upgrades
 * @since 0.1.0
 */
public record PackageVersionCountDTO(String os, String version, long installed, long upgradable, long security) {
}
