package io.debmonitor.core.model.api;

import java.util.Optional;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Reads running kernels (SPEC §5.2, kernels and kernel detail).
 *
 * @since 0.1.0
 */
@ProviderType
public interface KernelService {

    /** Sort keys of {@link #list}. */
    Set<String> LIST_SORT_KEYS = Set.of("os", "name", "hosts");

    /** Sort keys of {@link #hosts}. */
    Set<String> HOST_SORT_KEYS = Set.of("name", "release", "modified");

    /**
     * One page of kernels, by OS then name by default.
     *
     * @param q  case-insensitive substring of the kernel name, or null
     * @param os exact OS name, or null
     * @throws IllegalArgumentException for a sort key outside {@link #LIST_SORT_KEYS}
     */
    PageDTO<KernelDTO> list(String q, String os, PageRequest request);

    /** @param key {@code <osId>_<slug>}; anything else finds nothing */
    Optional<KernelDTO> find(String key);

    /**
     * One page of the hosts running the kernel, by name by default.
     *
     * @param key {@code <osId>_<slug>}
     * @param q   case-insensitive substring of the host name, or null
     * @return the page; empty with total 0 for an unknown kernel
     * @throws IllegalArgumentException for a sort key outside {@link #HOST_SORT_KEYS}
     */
    PageDTO<EntityDTO> hosts(String key, String q, PageRequest request);
}
