package io.debmonitor.core.model.api;

import java.util.List;

/**
 * One source package in the source packages index (SPEC §5.2).
 *
 * @param name     source package name
 * @param versions number of stored versions (over all OSes)
 * @param oses     names of the OSes it has versions on, sorted
 * @since 0.1.0
 */
public record SourcePackageSummaryDTO(String name, long versions, List<String> oses) {

    public SourcePackageSummaryDTO {
        oses = List.copyOf(oses);
    }
}
