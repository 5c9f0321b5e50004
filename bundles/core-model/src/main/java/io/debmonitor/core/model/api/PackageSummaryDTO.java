package io.debmonitor.core.model.api;

import java.util.List;

/**
 * One binary package in the packages index (SPEC §5.2).
 *
 * @param name      package name
 * @param versions  number of stored versions (over all OSes)
 * @param oses      names of the OSes it has versions on, sorted
 * @param installed rows (hosts and images) with the package installed
 * @param upgrades  rows that can upgrade it
 * @param security  rows that can upgrade it with a security upgrade
 * @since 0.1.0
 */
public record PackageSummaryDTO(String name, long versions, List<String> oses, long installed, long upgrades, long security) {

    public PackageSummaryDTO {
        oses = List.copyOf(oses);
    }
}
