package io.debmonitor.core.model.api;

import java.util.List;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Reads the live kubernetes images (SPEC §5.2, Kubernetes).
 *
 * @since 0.1.0
 */
@ProviderType
public interface KubernetesService {

    /** Sort keys of {@link #list}. */
    Set<String> LIST_SORT_KEYS = Set.of("cluster", "namespace", "image", "os", "containers", "modified");

    /**
     * One page of kubernetes rows, by cluster, namespace, image by default.
     *
     * @param cluster   exact cluster name, or null
     * @param namespace exact namespace name, or null
     * @param q         case-insensitive substring of the image reference, or null
     * @throws IllegalArgumentException for a sort key outside {@link #LIST_SORT_KEYS}
     */
    PageDTO<KubernetesRowDTO> list(String cluster, String namespace, String q, PageRequest request);

    /** @return the kubernetes rows of one image, by cluster and namespace; empty when none */
    List<KubernetesRowDTO> ofImage(String image);
}
