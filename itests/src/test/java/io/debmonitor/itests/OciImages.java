package io.debmonitor.itests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Builds OCI image layouts on disk (oci-layout, index.json, blobs/sha256/) from layers described in code, and
 * pushes their tags to a {@link TestRegistry} with skopeo. The output is reproducible: the same images give the
 * same digests, so a test can rebuild an image to push it unchanged.
 */
public final class OciImages {

    public static final String INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FileTime MTIME = FileTime.fromMillis(1_700_000_000_000L);

    /** One tar entry of a layer; made by {@link #file}, {@link #dir}, {@link #symlink}, {@link #whiteout} etc. */
    public static final class Entry {
        private final String path;
        private final byte linkFlag;
        private final byte[] content;
        private final String target;

        private Entry(String path, byte linkFlag, byte[] content, String target) {
            this.path = path;
            this.linkFlag = linkFlag;
            this.content = content;
            this.target = target;
        }
    }

    /** The entries of one layer, in tar order. */
    public record Layer(List<Entry> entries) {
    }

    /** A manifest or index blob of the layout; {@code platform} ("linux/arm64", "linux/arm/v7") only for images. */
    public record Descriptor(String mediaType, String digest, long size, String platform) {
    }

    private final Path layout;
    private final ArrayNode tags = JSON.createArrayNode();

    /** Starts an empty layout in {@code layout} (created if missing). */
    public OciImages(Path layout) throws IOException {
        this.layout = layout;
        Files.createDirectories(layout.resolve("blobs/sha256"));
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        writeIndexJson();
    }

    public Path layout() {
        return layout;
    }

    /** A regular file (mode 0644) with this UTF-8 text. Paths are written as given ("etc/x", "./etc/x"). */
    public static Entry file(String path, String content) {
        return file(path, content.getBytes(StandardCharsets.UTF_8));
    }

    public static Entry file(String path, byte[] content) {
        return new Entry(path, TarConstants.LF_NORMAL, content, null);
    }

    public static Entry dir(String path) {
        return new Entry(path.endsWith("/") ? path : path + "/", TarConstants.LF_DIR, new byte[0], null);
    }

    public static Entry symlink(String path, String target) {
        return new Entry(path, TarConstants.LF_SYMLINK, new byte[0], target);
    }

    /** A hard link to {@code target}, an entry of the same or a lower layer. */
    public static Entry hardlink(String path, String target) {
        return new Entry(path, TarConstants.LF_LINK, new byte[0], target);
    }

    /** Deletes {@code path} of the lower layers: an empty "DIR/.wh.NAME". */
    public static Entry whiteout(String path) {
        int slash = path.lastIndexOf('/');
        return file(path.substring(0, slash + 1) + ".wh." + path.substring(slash + 1), new byte[0]);
    }

    /** Hides everything the lower layers have under {@code dir}: an empty "DIR/.wh..wh..opq". */
    public static Entry opaque(String dir) {
        return file((dir.endsWith("/") ? dir : dir + "/") + ".wh..wh..opq", new byte[0]);
    }

    public static Layer layer(Entry... entries) {
        return new Layer(List.of(entries));
    }

    /**
     * Writes an image (gzip layers, config with the platform and the diff_ids, manifest) into the layout and
     * returns its manifest; {@link #tag} or {@link #index} names it.
     */
    public Descriptor image(String platform, Layer... layers) throws IOException {
        String[] parts = platform.split("/");
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("platform must be OS/ARCH[/VARIANT]: " + platform);
        }
        ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MANIFEST);
        ObjectNode config = JSON.createObjectNode().put("architecture", parts[1]).put("os", parts[0]);
        if (parts.length == 3) {
            config.put("variant", parts[2]);
        }
        config.putObject("config");
        ObjectNode rootfs = config.putObject("rootfs").put("type", "layers");
        ArrayNode diffIds = rootfs.putArray("diff_ids");
        ArrayNode layerDescriptors = JSON.createArrayNode();
        for (Layer layer : layers) {
            byte[] tar = tar(layer);
            diffIds.add(digest(tar));
            layerDescriptors.add(writeBlob(LAYER_GZIP, gzip(tar)));
        }
        manifest.set("config", writeBlob(CONFIG, JSON.writeValueAsBytes(config)));
        manifest.set("layers", layerDescriptors);
        return descriptor(writeBlob(MANIFEST, JSON.writeValueAsBytes(manifest)), platform);
    }

    /** Writes a multi-platform index of these images and tags it. */
    public Descriptor index(String tag, Descriptor... images) throws IOException {
        ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", INDEX);
        ArrayNode manifests = index.putArray("manifests");
        for (Descriptor image : images) {
            ObjectNode entry = descriptor(image.mediaType(), image.digest(), image.size());
            String[] parts = image.platform().split("/");
            ObjectNode platform = entry.putObject("platform").put("architecture", parts[1]).put("os", parts[0]);
            if (parts.length == 3) {
                platform.put("variant", parts[2]);
            }
            manifests.add(entry);
        }
        return tag(tag, descriptor(writeBlob(INDEX, JSON.writeValueAsBytes(index)), null));
    }

    /** Names a manifest or index in index.json (a tag already there moves). */
    public Descriptor tag(String tag, Descriptor target) throws IOException {
        for (int i = tags.size() - 1; i >= 0; i--) {
            if (tag.equals(tags.get(i).path("annotations").path("org.opencontainers.image.ref.name").asText())) {
                tags.remove(i);
            }
        }
        ObjectNode entry = descriptor(target.mediaType(), target.digest(), target.size());
        entry.putObject("annotations").put("org.opencontainers.image.ref.name", tag);
        tags.add(entry);
        writeIndexJson();
        return target;
    }

    /** Pushes this layout's {@code tag} with {@link #push(Path, String, TestRegistry, String)}. */
    public void push(String tag, TestRegistry registry, String repoAndTag) throws IOException, InterruptedException {
        push(layout, tag, registry, repoAndTag);
    }

    /**
     * Copies the layout's {@code tag} to {@code registry} as {@code repoAndTag} ("library/debian:12") with skopeo,
     * all platforms of an index, with the registry's user and password when it has token auth. Manifests and
     * indexes keep their bytes, so their digests in the registry are those of the layout.
     */
    public static void push(Path layout, String tag, TestRegistry registry, String repoAndTag)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("skopeo", "--insecure-policy", "copy", "--retry-times", "0",
                "--dest-cert-dir", registry.certDir().toString()));
        if (isIndex(layout, tag)) {
            command.add("--all");
        }
        if (registry.user() != null) {
            command.addAll(List.of("--dest-creds", registry.user() + ":" + registry.password()));
        } else {
            command.add("--dest-no-creds");
        }
        command.addAll(List.of("oci:" + layout + ":" + tag, "docker://" + registry.hostPort() + "/" + repoAndTag));
        Process skopeo = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String stderr = new String(skopeo.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (skopeo.waitFor() != 0) {
            throw new IllegalStateException("skopeo could not push " + layout + ":" + tag + " to " + registry.hostPort()
                    + "/" + repoAndTag + " (exit " + skopeo.exitValue() + "): " + stderr.strip());
        }
    }

    /**
     * A dpkg status database of installed packages, each "name[:arch]=version[=source[=sourceVersion]]"; the
     * architecture defaults to amd64 ("all" and foreign ones via ":arch").
     */
    public static String dpkgStatus(String... packages) {
        return dpkgStatusFor("amd64", packages);
    }

    /** {@link #dpkgStatus} with another default architecture, e.g. "arm64" for an arm64 image. */
    public static String dpkgStatusFor(String architecture, String... packages) {
        StringBuilder status = new StringBuilder();
        for (String spec : packages) {
            String[] fields = spec.split("=", -1);
            if (fields.length < 2 || fields.length > 4) {
                throw new IllegalArgumentException("want name[:arch]=version[=source[=sourceVersion]]: " + spec);
            }
            int colon = fields[0].indexOf(':');
            String name = colon < 0 ? fields[0] : fields[0].substring(0, colon);
            String arch = colon < 0 ? architecture : fields[0].substring(colon + 1);
            status.append("Package: ").append(name).append('\n')
                    .append("Status: install ok installed\n")
                    .append("Priority: optional\n")
                    .append("Section: misc\n")
                    .append("Installed-Size: 42\n")
                    .append("Maintainer: DebMonitor Tests <itests@debmonitor.invalid>\n")
                    .append("Architecture: ").append(arch).append('\n');
            if (fields.length >= 3) {
                status.append("Source: ").append(fields[2]);
                if (fields.length == 4) {
                    status.append(" (").append(fields[3]).append(')');
                }
                status.append('\n');
            }
            status.append("Version: ").append(fields[1]).append('\n')
                    .append("Description: ").append(name).append(" for the integration tests\n")
                    .append(" Made by OciImages.\n")
                    .append('\n');
        }
        return status.toString();
    }

    /** An os-release file for "debian" "12", "ubuntu" "24.04", or a null version (Debian testing has none). */
    public static String osRelease(String id, String versionId) {
        String name = switch (id) {
            case "debian" -> "Debian GNU/Linux";
            case "ubuntu" -> "Ubuntu";
            default -> id;
        };
        StringBuilder text = new StringBuilder()
                .append("PRETTY_NAME=\"").append(name).append(versionId == null ? "" : " " + versionId).append("\"\n")
                .append("NAME=\"").append(name).append("\"\n");
        if (versionId != null) {
            text.append("VERSION_ID=\"").append(versionId).append("\"\n");
        }
        return text.append("ID=").append(id).append('\n').toString();
    }

    private static boolean isIndex(Path layout, String tag) throws IOException {
        for (JsonNode entry : JSON.readTree(layout.resolve("index.json").toFile()).path("manifests")) {
            if (tag.equals(entry.path("annotations").path("org.opencontainers.image.ref.name").asText())) {
                return INDEX.equals(entry.path("mediaType").asText());
            }
        }
        throw new IllegalArgumentException("no tag " + tag + " in " + layout.resolve("index.json"));
    }

    private void writeIndexJson() throws IOException {
        ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", INDEX);
        index.set("manifests", tags);
        Files.write(layout.resolve("index.json"), JSON.writeValueAsBytes(index));
    }

    /** Stores a blob and returns its OCI descriptor. */
    private ObjectNode writeBlob(String mediaType, byte[] bytes) throws IOException {
        String digest = digest(bytes);
        Files.write(layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length())), bytes);
        return descriptor(mediaType, digest, bytes.length);
    }

    private static Descriptor descriptor(ObjectNode node, String platform) {
        return new Descriptor(node.get("mediaType").asText(), node.get("digest").asText(), node.get("size").asLong(),
                platform);
    }

    private static ObjectNode descriptor(String mediaType, String digest, long size) {
        return JSON.createObjectNode().put("mediaType", mediaType).put("digest", digest).put("size", size);
    }

    private static byte[] tar(Layer layer) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Entry entry : layer.entries()) {
                TarArchiveEntry tarEntry = new TarArchiveEntry(entry.path, entry.linkFlag, true);
                tarEntry.setModTime(MTIME);
                tarEntry.setUserName("root");
                tarEntry.setGroupName("root");
                if (entry.linkFlag == TarConstants.LF_SYMLINK) {
                    tarEntry.setMode(0120777);
                }
                if (entry.target != null) {
                    tarEntry.setLinkName(entry.target);
                }
                tarEntry.setSize(entry.content.length);
                tar.putArchiveEntry(tarEntry);
                tar.write(entry.content);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(data);
        }
        return bytes.toByteArray();
    }

    private static String digest(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
