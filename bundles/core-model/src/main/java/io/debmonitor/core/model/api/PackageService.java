package io.debmonitor.core.model.api;

import java.util.List;
import java.util.Set;

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

    /** Sort keys of {@link #list}. */
    Set<String> LIST_SORT_KEYS = Set.of("name", "versions", "installed", "upgrades", "security");

    /** Sort keys of {@link #holders}; versions sort in dpkg order. */
    Set<String> HOLDER_SORT_KEYS = Set.of("os", "version", "name", "upgrade", "upgrade_type");

    /**
     * One page of the binary packages index. Default order: security, upgrades, installed (all
     * descending), then name; any sort key is followed by name as tie-breaker.
     *
     * @param q  case-insensitive substring of the package name, or null
     * @param os exact OS name: only packages with a version on it, counted on it; or null
     * @throws IllegalArgumentException for a sort key outside {@link #LIST_SORT_KEYS}
     */
    PageDTO<PackageSummaryDTO> list(String q, String os, PageRequest request);

    /**
     * Stored binary package names, read from the database now (the index of {@link #list} may lag
     * by up to a minute), for completion.
     *
     * @param prefix what the names start with (case-sensitive); empty for any
     * @param limit  at most this many names
     * @return the names in name order; never null
     * @since 0.2.0
     */
    List<String> namesStartingWith(String prefix, int limit);

    /** @return names of the source packages the package's versions are built from, sorted; empty for an unknown package */
    List<String> sources(String name);

    /**
     * One page of the hosts and images with the package installed. Default order: OS, version
     * (dpkg order), name (hosts before images of the same name).
     *
     * @throws IllegalArgumentException for a sort key outside {@link #HOLDER_SORT_KEYS}
     */
    PageDTO<PackageHolderDTO> holders(String name, HolderFilter filter, PageRequest request);
}
