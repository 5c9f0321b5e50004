package io.debmonitor.core.model.api;

import java.util.List;

/**
 * One version of a source package on one OS, with the binary packages built from it.
 *
 * @param os       OS name
 * @param version  source version
 * @param binaries names of the binary packages whose versions point to it, sorted
 * @since 0.1.0
 */
public record SourceVersionDTO(String os, String version, List<String> binaries) {

    public SourceVersionDTO {
        binaries = List.copyOf(binaries);
    }
}
