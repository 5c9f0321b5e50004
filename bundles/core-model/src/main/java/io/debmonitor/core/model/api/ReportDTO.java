package io.debmonitor.core.model.api;

import java.util.List;

/**
 * A validated package report for one host or image (SPEC §1.3–§1.4), as a package source produced it.
 *
 * @param os            OS name, already checked against the pattern of SPEC §1.7; never null
 * @param updateType    never null
 * @param kernelVersion running kernel ({@code uname -v}); required for hosts, null for images
 * @param kernelRelease running kernel release ({@code uname -r}); may be null
 * @param installed     items in payload order; never null
 * @param uninstalled   package names in payload order; never null
 * @param upgradable    items in payload order; never null
 * @param digest        images: the manifest digest the reporter read ({@code sha256:<hex>}), stored with the image
 *                      and replaced by every report, so null clears it; hosts: null (since 0.3.0)
 * @since 0.1.0
 */
public record ReportDTO(String os, UpdateType updateType, String kernelVersion, String kernelRelease,
        List<InstalledDTO> installed, List<String> uninstalled, List<UpgradableDTO> upgradable, String digest) {

    public ReportDTO {
        installed = List.copyOf(installed);
        uninstalled = List.copyOf(uninstalled);
        upgradable = List.copyOf(upgradable);
    }

    /** A report without a manifest digest. */
    public ReportDTO(String os, UpdateType updateType, String kernelVersion, String kernelRelease,
            List<InstalledDTO> installed, List<String> uninstalled, List<UpgradableDTO> upgradable) {
        this(os, updateType, kernelVersion, kernelRelease, installed, uninstalled, upgradable, null);
    }
}
