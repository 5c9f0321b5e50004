package io.debmonitor.core.model.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated kubernetes snapshot (SPEC §1.8): the complete set of running images of one cluster.
 *
 * @param cluster the cluster name; never null
 * @param images  image reference → namespace → container count, in payload order; an image whose
 *                every count was invalid maps to an empty map; never null
 * @param errors  the pairs whose count was invalid, which are not stored; never null
 * @since 0.3.0
 */
public record KubernetesSnapshotDTO(String cluster, Map<String, Map<String, Integer>> images, List<Error> errors) {

    public KubernetesSnapshotDTO {
        Map<String, Map<String, Integer>> copy = new LinkedHashMap<>();
        images.forEach((image, counts) -> copy.put(image, Collections.unmodifiableMap(new LinkedHashMap<>(counts))));
        images = Collections.unmodifiableMap(copy);
        errors = List.copyOf(errors);
    }

    /** One refused (image, namespace) pair, with the reason. */
    public record Error(String image, String cluster, String namespace, String error) {
    }
}
