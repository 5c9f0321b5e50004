package io.debmonitor.core.model.api;

import java.util.List;

/**
 * A host's kernel as CVE findings judge it (CVE.md §6, §11.4).
 *
 * @param runningVersion the running kernel's Debian version, or null when it is not a Debian kernel
 * @param runningRelease {@code uname -r}, or null
 * @param affected       issues counted against the running kernel
 * @param rebootRequired a fixed kernel image is installed but an older one runs
 * @param images         the installed {@code linux-image-<digit>…} rows, newest first
 * @param notes          sentences for the operator, e.g. "old kernel image installed, not running"
 * @since 0.4.0
 */
public record CveKernelDTO(String runningVersion, String runningRelease, long affected, boolean rebootRequired, List<Image> images,
        List<String> notes) {

    /** An installed kernel image; {@code running} when its name is {@code linux-image-<running release>}. */
    public record Image(String name, String version, boolean running) {
    }
}
