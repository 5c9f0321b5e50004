package io.debmonitor.source.sbom.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.debmonitor.core.model.api.InstalledDTO;
import io.debmonitor.core.model.api.InvalidReportException;

/**
 * An installed Debian package as a {@code pkg:deb} package URL describes it.
 *
 * @param name          binary package name, without architecture
 * @param arch          the {@code arch} qualifier, or null
 * @param version       version, epoch included
 * @param source        source package name
 * @param sourceVersion source version, or null when the purl names the source without one
 * @param path          key path of the purl, for messages
 */
record DebianPackage(String name, String arch, String version, String source, String sourceVersion, String path) {

    static final String ARCH_INDEPENDENT = "all";

    /**
     * The report item, named {@code name:arch} when the architecture is neither {@code all} nor
     * the native one, as debmonitor-client names it (SPEC §1.3, §7.4).
     */
    InstalledDTO installed(String nativeArch) throws InvalidReportException {
        boolean foreign = arch != null && !arch.equals(ARCH_INDEPENDENT) && !arch.equals(nativeArch);
        String reported = foreign ? SbomJson.checked(name + ":" + arch, path + " (name:arch)") : name;
        return new InstalledDTO(reported, version, source, sourceVersion);
    }

    /**
     * The native architecture, which dpkg's own does not qualify: the architecture of the
     * {@code dpkg} package, as debmonitor-client takes it; without one, the most frequent
     * architecture (the first seen on a tie); null when no package has one.
     */
    static String nativeArch(List<DebianPackage> packages) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (DebianPackage p : packages) {
            if (p.arch() == null || p.arch().equals(ARCH_INDEPENDENT)) {
                continue;
            }
            if (p.name().equals("dpkg")) {
                return p.arch();
            }
            counts.merge(p.arch(), 1, Integer::sum);
        }
        String mostFrequent = null;
        int highest = 0;
        for (Map.Entry<String, Integer> count : counts.entrySet()) {
            if (count.getValue() > highest) {
                mostFrequent = count.getKey();
                highest = count.getValue();
            }
        }
        return mostFrequent;
    }
}
