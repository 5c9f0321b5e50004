package io.debmonitor.imagereporter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The images a cluster runs, from {@code kubectl get pods -A -o json}:
 * {@code {"cluster": NAME, "images": {reference: {namespace: containers}}}}.
 */
public final class KubernetesSnapshot {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final String DOCKER_HUB = "docker.io";

    /** A parsed image reference; {@code tag} and {@code digest} may be null. */
    private record Reference(String repository, String tag, String digest) {

        static Reference parse(String reference) {
            String rest = reference.strip();
            String digest = null;
            int at = rest.indexOf('@');
            if (at >= 0) {
                digest = rest.substring(at + 1);
                rest = rest.substring(0, at);
            }
            String tag = null;
            int colon = rest.lastIndexOf(':');
            if (colon > rest.lastIndexOf('/')) {
                tag = rest.substring(colon + 1);
                rest = rest.substring(0, colon);
            }
            int slash = rest.indexOf('/');
            String first = slash < 0 ? "" : rest.substring(0, slash);
            String registry;
            String path;
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                registry = first.equals("index.docker.io") ? DOCKER_HUB : first;
                path = rest.substring(slash + 1);
            } else {
                registry = DOCKER_HUB;
                path = rest;
            }
            if (registry.equals(DOCKER_HUB) && path.indexOf('/') < 0) {
                path = "library/" + path;
            }
            return new Reference(registry + "/" + path, tag, digest);
        }

        /** The tag, "latest" when the reference has neither tag nor digest (as the container runtime pulls). */
        String effectiveTag() {
            return tag == null && digest == null ? "latest" : tag;
        }
    }

    private KubernetesSnapshot() {
    }

    /**
     * Counts the containers of the running and pending pods of a {@code kubectl get pods -A -o json} pod list
     * by image and namespace. Init and ephemeral containers are not counted.
     */
    public static ObjectNode fromPodList(String cluster, InputStream podListJson) throws IOException {
        JsonNode podList = MAPPER.readTree(podListJson);
        if (podList == null || !podList.path("items").isArray()) {
            throw new IOException("not a pod list (as from kubectl get pods -A -o json): no \"items\" array");
        }
        ObjectNode snapshot = MAPPER.createObjectNode();
        snapshot.put("cluster", cluster);
        ObjectNode images = snapshot.putObject("images");
        for (JsonNode pod : podList.get("items")) {
            String phase = pod.path("status").path("phase").asText();
            if (!phase.equals("Running") && !phase.equals("Pending")) {
                continue;
            }
            String namespace = pod.path("metadata").path("namespace").asText("default");
            Map<String, String> imageIds = imageIds(pod);
            for (JsonNode container : pod.path("spec").path("containers")) {
                String image = container.path("image").asText();
                if (image.isBlank()) {
                    continue;
                }
                String key = key(image, imageIds.get(container.path("name").asText()));
                ObjectNode counts = images.has(key) ? (ObjectNode) images.get(key) : images.putObject(key);
                counts.put(namespace, counts.path(namespace).asInt(0) + 1);
            }
        }
        return snapshot;
    }

    /**
     * The reference as a container runtime resolves it: "nginx" gives "docker.io/library/nginx:latest",
     * "bitnami/redis:7" gives "docker.io/bitnami/redis:7"; other registries ("host[:port]/...") are kept.
     */
    public static String normalise(String reference) {
        return key(reference, null);
    }

    /**
     * The snapshot key of a container: its normalised image with the digest it runs, taken from the
     * reference or else from the status's imageID.
     */
    static String key(String image, String imageId) {
        Reference r = Reference.parse(image);
        String digest = r.digest != null ? r.digest : repoDigest(imageId);
        String tag = r.effectiveTag();
        return r.repository + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }

    /**
     * The repository digest of an imageID ("docker-pullable://repo@sha256:..", "repo@sha256:.."); null for a
     * bare "sha256:.." (the image configuration's id, which no registry lookup can use) or no id.
     */
    static String repoDigest(String imageId) {
        if (imageId == null) {
            return null;
        }
        int at = imageId.lastIndexOf('@');
        if (at < 0) {
            return null;
        }
        String digest = imageId.substring(at + 1);
        return DIGEST.matcher(digest).matches() ? digest : null;
    }

    private static Map<String, String> imageIds(JsonNode pod) {
        Map<String, String> ids = new HashMap<>();
        for (JsonNode status : pod.path("status").path("containerStatuses")) {
            String id = status.path("imageID").asText();
            if (!id.isEmpty()) {
                ids.put(status.path("name").asText(), id);
            }
        }
        return ids;
    }
}
