package io.debmonitor.core.model.api;

/**
 * One {@code installed} item of a report.
 *
 * @param name          binary package name, {@code name:arch} for a foreign architecture; never null
 * @param version       installed version; never null
 * @param source        source package name; never null
 * @param sourceVersion source package version, or null when the client did not send one
 * @since 0.1.0
 */
public record InstalledDTO(String name, String version, String source, String sourceVersion) {
}
