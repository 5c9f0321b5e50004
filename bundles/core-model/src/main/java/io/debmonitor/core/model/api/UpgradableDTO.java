package io.debmonitor.core.model.api;

/**
 * One {@code upgradable} item of a report. {@code source} and {@code sourceVersion} describe the
 * {@code versionTo} candidate.
 *
 * @param name          binary package name; never null
 * @param versionFrom   installed version as the client saw it; never null
 * @param versionTo     candidate version; never null
 * @param source        source package name of the candidate; never null
 * @param sourceVersion source version of the candidate, or null
 * @param type          upgrade type; empty or null means none, {@code security} marks a security upgrade
 * @since 0.1.0
 */
public record UpgradableDTO(String name, String versionFrom, String versionTo, String source, String sourceVersion,
        String type) {
}
