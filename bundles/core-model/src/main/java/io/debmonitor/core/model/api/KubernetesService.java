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

    /**
     * Replaces a cluster's rows with a snapshot in one transaction (SPEC §1.8): each valid pair of
     * a stored image is upserted, every other row of the cluster is deleted, other clusters are
     * untouched. A reference {@code <repository>[:<tag>]@<digest>} that is not itself a stored
     * image names the stored image of that repository whose last report carried that digest
     * (the one with that tag if several do), or else {@code <repository>:<tag>} when that image
     * carries no digest (one with another digest is another build).
     *
     * @return the image references that name no stored image, in payload order; none of their
     *         pairs are stored
     * @throws StorageUnavailableException when nothing could be stored
     * @since 0.3.0
     */
    List<String> apply(KubernetesSnapshotDTO snapshot);
}
