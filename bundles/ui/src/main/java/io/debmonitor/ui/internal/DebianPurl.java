package io.debmonitor.ui.internal;

import java.util.TreeMap;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;

/**
 * The package URL that Syft gives an installed Debian or Ubuntu package, and that Grype and
 * Dependency-Track match against advisories:
 * {@code pkg:deb/<id>/<name>@<version>?arch=<arch>&distro=<id>-<release>&upstream=<source>[@<source version>]},
 * percent-encoded and with its qualifiers in order by packageurl-java. A qualifier DebMonitor does
 * not know is left out rather than guessed.
 */
final class DebianPurl {

    private DebianPurl() {
    }

    static String of(Distro distro, BomPackage p) {
        TreeMap<String, String> qualifiers = new TreeMap<>();
        if (p.arch() != null) {
            qualifiers.put("arch", p.arch());
        }
        if (distro.qualifier() != null) {
            qualifiers.put("distro", distro.qualifier());
        }
        String upstream = upstream(p);
        if (upstream != null) {
            qualifiers.put("upstream", upstream);
        }
        try {
            return new PackageURL("deb", distro.id(), p.binaryName(), p.version(), qualifiers.isEmpty() ? null : qualifiers, null)
                    .canonicalize();
        } catch (MalformedPackageURLException e) {
            throw new IllegalStateException("No package URL for the stored package " + p.name() + " " + p.version() + ": " + e.getMessage(), e);
        }
    }

    /**
     * As Syft takes it from dpkg's {@code Source} field, which dpkg writes only when the source
     * differs from the binary package by name or version: the version only when it differs (a binNMU).
     */
    private static String upstream(BomPackage p) {
        if (p.source() == null) {
            return null;
        }
        boolean otherVersion = p.sourceVersion() != null && !p.sourceVersion().equals(p.version());
        if (!otherVersion && p.source().equals(p.binaryName())) {
            return null;
        }
        return otherVersion ? p.source() + "@" + p.sourceVersion() : p.source();
    }
}
