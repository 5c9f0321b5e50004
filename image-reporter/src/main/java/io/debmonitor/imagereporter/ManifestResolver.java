package io.debmonitor.imagereporter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Resolves a tag to the image to report: an OCI index or a Docker manifest list gives the entry of
 * the wanted platform; an OCI manifest or a Docker v2 schema 2 manifest gives the layers. Schema 1
 * manifests, artifacts and foreign (Windows) layers are skipped.
 */
final class ManifestResolver {

    static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    record Layer(String digest, String mediaType, long size) {
    }

    /**
     * @param digest the digest of what the tag points to (for an index, the index's: kubelet shows that one)
     * @param platform the reported image's platform
     * @param otherPlatforms the index's other platforms (empty for a single manifest)
     */
    record ResolvedImage(String digest, Platform platform, List<Layer> layers, List<Platform> otherPlatforms) {
    }

    /** The index entry for the wanted platform, and the platforms of the others (attestations left out). */
    record Selection(String digest, Platform platform, List<Platform> others) {
    }

    private final RegistryClient registry;
    private final Platform wanted;

    ManifestResolver(RegistryClient registry, Platform wanted) {
        this.registry = registry;
        this.wanted = wanted;
    }

    ResolvedImage resolve(String repository, String tag) throws IOException, RegistryException, SkippedImage {
        RegistryClient.Manifest top = registry.manifest(repository, tag);
        RegistryClient.Manifest manifest = top;
        JsonNode doc = parse(manifest);
        String type = mediaType(manifest, doc);
        Platform platform = null;
        List<Platform> others = List.of();
        if (isIndex(type)) {
            Selection s = select(doc, wanted);
            platform = s.platform;
            others = s.others;
            manifest = registry.manifest(repository, s.digest);
            doc = parse(manifest);
            type = mediaType(manifest, doc);
            if (isIndex(type)) {
                throw new SkippedImage("the index entry for " + wanted + " is itself an index");
            }
        }
        if (type.equals(RegistryClient.DOCKER_SCHEMA1) || type.equals(RegistryClient.DOCKER_SCHEMA1_SIGNED)) {
            throw new SkippedImage("Docker schema 1 manifest (deprecated, no longer supported): push the image again"
                    + " with a current Docker or buildah");
        }
        if (!type.equals(RegistryClient.OCI_MANIFEST) && !type.equals(RegistryClient.DOCKER_MANIFEST)) {
            throw new SkippedImage("unsupported manifest media type " + (type.isEmpty() ? "(none)" : type));
        }
        JsonNode config = doc.path("config");
        String configType = config.path("mediaType").asText("");
        if (doc.hasNonNull("artifactType") || !(configType.equals(DOCKER_CONFIG) || configType.equals(OCI_CONFIG))) {
            throw new SkippedImage("not a container image (an artifact of type "
                    + doc.path("artifactType").asText(configType) + ")");
        }
        List<Layer> layers = layers(doc);
        if (platform == null) {
            platform = configPlatform(repository, config.path("digest").asText(""));
        }
        return new ResolvedImage(top.digest(), platform, layers, others);
    }

    private static List<Layer> layers(JsonNode doc) throws SkippedImage, RegistryException {
        List<Layer> layers = new ArrayList<>();
        for (JsonNode l : doc.path("layers")) {
            String type = l.path("mediaType").asText("");
            String digest = l.path("digest").asText("");
            if (type.contains(".foreign.") || type.contains(".nondistributable.")) {
                throw new SkippedImage("foreign layers (a Windows image?)");
            }
            if (!type.startsWith("application/vnd.oci.image.layer.v1.tar")
                    && !type.startsWith("application/vnd.docker.image.rootfs.diff.tar")) {
                throw new SkippedImage("not a container image (a layer of type " + type + ")");
            }
            if (!digest.matches("sha256:[0-9a-f]{64}")) {
                throw new RegistryException("invalid layer digest " + digest);
            }
            layers.add(new Layer(digest, type, l.path("size").asLong(-1)));
        }
        return layers;
    }

    /** The platform of a single-platform image, from its configuration blob. */
    private Platform configPlatform(String repository, String digest) throws IOException, RegistryException {
        JsonNode config = parse(registry.blob(repository, digest), "the image configuration " + digest);
        String arch = config.path("architecture").asText("");
        if (arch.isEmpty()) {
            throw new RegistryException("no architecture in the image configuration " + digest);
        }
        return new Platform(config.path("os").asText("linux"), arch, emptyToNull(config.path("variant").asText("")));
    }

    /** Picks the wanted platform's entry of an OCI index or Docker manifest list. */
    static Selection select(JsonNode index, Platform wanted) throws SkippedImage {
        List<JsonNode> entries = new ArrayList<>();
        List<Platform> platforms = new ArrayList<>();
        for (JsonNode entry : index.path("manifests")) {
            JsonNode p = entry.path("platform");
            boolean attestation = "attestation-manifest".equals(
                    entry.path("annotations").path("vnd.docker.reference.type").asText());
            if (attestation || p.isMissingNode() || p.path("os").asText("unknown").equals("unknown")) {
                continue;
            }
            entries.add(entry);
            platforms.add(new Platform(p.path("os").asText(), p.path("architecture").asText(),
                    emptyToNull(p.path("variant").asText(""))));
        }
        int chosen = -1;
        for (int i = 0; i < entries.size() && chosen < 0; i++) {
            if (matches(wanted, platforms.get(i), true)) {
                chosen = i;
            }
        }
        // Without an explicit variant, any variant of the architecture will do.
        for (int i = 0; i < entries.size() && chosen < 0 && wanted.variant() == null; i++) {
            if (matches(wanted, platforms.get(i), false)) {
                chosen = i;
            }
        }
        if (chosen < 0) {
            throw new SkippedImage("no " + wanted + " image in the index (it has: "
                    + (platforms.isEmpty() ? "no platform" : join(platforms)) + ")");
        }
        List<Platform> others = new ArrayList<>(platforms);
        others.remove(chosen);
        return new Selection(entries.get(chosen).path("digest").asText(), platforms.get(chosen), others);
    }

    private static boolean matches(Platform wanted, Platform candidate, boolean withVariant) {
        return wanted.os().equals(candidate.os()) && wanted.architecture().equals(candidate.architecture())
                && (!withVariant || Objects.equals(normalVariant(wanted), normalVariant(candidate)));
    }

    /** The variant as containerd compares it: arm64 is v8 and arm is v7 unless said otherwise; amd64 v1 is plain. */
    private static String normalVariant(Platform p) {
        String v = p.variant();
        switch (p.architecture()) {
            case "arm64":
                return v == null || v.equals("v8") ? null : v;
            case "arm":
                return v == null ? "v7" : v;
            case "amd64":
                return v == null || v.equals("v1") ? null : v;
            default:
                return v;
        }
    }

    static String join(List<Platform> platforms) {
        StringBuilder b = new StringBuilder();
        for (Platform p : platforms) {
            b.append(b.length() == 0 ? "" : ", ").append(p);
        }
        return b.toString();
    }

    /** The manifest's media type: the Content-Type when it is a manifest type, else the document's own. */
    private static String mediaType(RegistryClient.Manifest m, JsonNode doc) {
        if (m.mediaType().startsWith("application/vnd.")) {
            return m.mediaType();
        }
        String declared = doc.path("mediaType").asText("");
        if (!declared.isEmpty()) {
            return declared;
        }
        if (doc.path("schemaVersion").asInt() == 1) {
            return RegistryClient.DOCKER_SCHEMA1;
        }
        // OCI allows leaving mediaType out; the shape tells.
        return doc.has("manifests") ? RegistryClient.OCI_INDEX : doc.has("layers") ? RegistryClient.OCI_MANIFEST : "";
    }

    private static boolean isIndex(String type) {
        return type.equals(RegistryClient.OCI_INDEX) || type.equals(RegistryClient.DOCKER_LIST);
    }

    private static JsonNode parse(RegistryClient.Manifest m) throws RegistryException {
        return parse(m.body(), "the manifest " + m.digest());
    }

    private static JsonNode parse(byte[] body, String what) throws RegistryException {
        try {
            JsonNode doc = JSON.readTree(body);
            if (doc == null || !doc.isObject()) {
                throw new RegistryException(what + " is not a JSON object");
            }
            return doc;
        } catch (IOException e) {
            throw new RegistryException("invalid JSON in " + what + ": " + Log.reason(e));
        }
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }
}
