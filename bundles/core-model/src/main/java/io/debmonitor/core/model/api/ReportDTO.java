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
 * @since 0.1.0
 */
public record ReportDTO(String os, UpdateType updateType, String kernelVersion, String kernelRelease,
        List<InstalledDTO> installed, List<String> uninstalled, List<UpgradableDTO> upgradable) {

    public ReportDTO {
        installed = List.copyOf(installed);
        uninstalled = List.copyOf(uninstalled);
        upgradable = List.copyOf(upgradable);
    }
}
