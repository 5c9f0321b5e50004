package io.debmonitor.core.model.api;

import java.time.Instant;

/**
 * Containers of one image in one kubernetes namespace.
 *
 * @param cluster    cluster name
 * @param namespace  namespace name
 * @param image      image reference
 * @param os         the image's OS
 * @param containers running containers, at least 0
 * @param modified   the cluster's last report, UTC
 * @since 0.1.0
 */
public record KubernetesRowDTO(String cluster, String namespace, String image, String os, long containers, Instant modified) {
}
