package io.debmonitor.core.model.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Reads one binary package across the fleet (SPEC §5.2, binary package detail).
 *
 * @since 0.1.0
 */
@ProviderType
public interface PackageService {

    /**
     * @return per OS (by name) and version (dpkg order), the row counts; empty for an unknown package
     */
    List<PackageVersionCountDTO> versions(String name);

    /**
     * One page of the hosts and images with the package installed, ordered by OS, version (dpkg
     * order) and name.
     */
    PageDTO<PackageHolderDTO> holders(String name, int page, int size);
}
