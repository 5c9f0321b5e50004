package io.debmonitor.core.model.api;

import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Reads source packages (SPEC §5.2, source packages and their detail).
 *
 * @since 0.1.0
 */
@ProviderType
public interface SourcePackageService {

    /** Sort keys of {@link #list}. */
    Set<String> LIST_SORT_KEYS = Set.of("name", "versions");

    /** Sort keys of {@link #versions}; versions sort in dpkg order. */
    Set<String> VERSION_SORT_KEYS = Set.of("os", "version");

    /**
     * One page of the source packages index, by name by default.
     *
     * @param q  case-insensitive substring of the name, or null
     * @param os exact OS name: only source packages with a version on it; or null
     * @throws IllegalArgumentException for a sort key outside {@link #LIST_SORT_KEYS}
     */
    PageDTO<SourcePackageSummaryDTO> list(String q, String os, PageRequest request);

    /**
     * One page of a source package's versions, by OS then version (dpkg order) by default.
     *
     * @param os exact OS name, or null
     * @return the page; empty with total 0 for an unknown source package
     * @throws IllegalArgumentException for a sort key outside {@link #VERSION_SORT_KEYS}
     */
    PageDTO<SourceVersionDTO> versions(String name, String os, PageRequest request);
}
