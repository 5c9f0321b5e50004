package io.debmonitor.ui.internal;

/**
 * One installed package of an SBOM.
 *
 * @param name          binary package name as stored: {@code name:arch} for a foreign architecture (SPEC §1.3)
 * @param version       installed version, epoch included
 * @param source        source package name, or null when unknown
 * @param sourceVersion source package version, or null when unknown
 */
record BomPackage(String name, String version, String source, String sourceVersion) {

    /** @return the name without its {@code :arch} (a Debian package name has no ':') */
    String binaryName() {
        int colon = name.indexOf(':');
        return colon < 0 ? name : name.substring(0, colon);
    }

    /** @return the foreign architecture of a {@code name:arch} row; null for a native one, whose architecture is not stored */
    String arch() {
        int colon = name.indexOf(':');
        return colon < 0 ? null : name.substring(colon + 1);
    }
}
