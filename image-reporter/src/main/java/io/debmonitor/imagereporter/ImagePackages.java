package io.debmonitor.imagereporter;

import io.debmonitor.client.ClientException;
import io.debmonitor.client.DpkgStatus;
import io.debmonitor.client.OsRelease;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdUtils;
import org.apache.commons.io.input.CloseShieldInputStream;

/**
 * Rebuilds the dpkg view of an image from its layers, as an overlay filesystem would show it, keeping in
 * memory only the dpkg status database and os-release.
 */
public final class ImagePackages {

    /**
     * What one image may keep in memory: the size of one kept file, the total size of the kept files
     * (a hard link counts again) and the number of status.d entries.
     */
    record Limits(long fileBytes, long keptBytes, int statusDEntries) {
        static final Limits DEFAULT = new Limits(64L << 20, 256L << 20, 100_000);
    }

    private static final String STATUS = "var/lib/dpkg/status";
    private static final String STATUS_D = "var/lib/dpkg/status.d";
    private static final String ETC_OS_RELEASE = "etc/os-release";
    private static final String USR_OS_RELEASE = "usr/lib/os-release";
    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";
    private static final int MAX_SYMLINKS = 40;
    private static final Pattern SUPPORTED_OS =
            Pattern.compile("^(Debian( [0-9]{1,2})?|Ubuntu( [0-9]{2}\\.[0-9]{2})?)$");
    private static final String INSTALLED = "Status: install ok installed";

    private enum Compression { NONE, GZIP, ZSTD, SNIFF }

    /** A kept file: its content, or (for a symbolic link) the path it points to, relative to the root. */
    private record Node(byte[] content, String linkTarget) {
        long size() {
            return content == null ? 0 : content.length;
        }
    }

    /** Kept files by path relative to the root ("etc/os-release"), with the totals the limits apply to. */
    private static final class KeptFiles {
        final TreeMap<String, Node> byPath = new TreeMap<>();
        long bytes;
        int statusDEntries;

        Node get(String path) {
            return byPath.get(path);
        }

        boolean containsKey(String path) {
            return byPath.containsKey(path);
        }

        void put(String path, Node node) {
            remove(path);
            byPath.put(path, node);
            count(path, node, 1);
        }

        void remove(String path) {
            Node old = byPath.remove(path);
            if (old != null) {
                count(path, old, -1);
            }
        }

        /** Forgets every file below the directory {@code dir} ("" is the root). */
        void removeBelow(String dir) {
            Iterator<Map.Entry<String, Node>> it = below(dir).entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<String, Node> e = it.next();
                count(e.getKey(), e.getValue(), -1);
                it.remove();
            }
        }

        NavigableMap<String, Node> below(String dir) {
            // '0' follows '/' in ASCII: the range holds exactly the paths starting with dir + "/".
            return dir.isEmpty() ? byPath : byPath.subMap(dir + "/", true, dir + "0", false);
        }

        void putAll(KeptFiles other) {
            other.byPath.forEach(this::put);
        }

        private void count(String path, Node node, int sign) {
            bytes += sign * node.size();
            if (path.startsWith(STATUS_D + "/")) {
                statusDEntries += sign;
            }
        }
    }

    private final String debianArch;
    private final Limits limits;
    /** The kept files of the layers applied so far. */
    private final KeptFiles files = new KeptFiles();

    /** {@code debianArch} qualifies the packages when the image has no dpkg package (distroless). */
    public ImagePackages(String debianArch) {
        this(debianArch, Limits.DEFAULT);
    }

    ImagePackages(String debianArch, Limits limits) {
        this.debianArch = debianArch;
        this.limits = limits;
    }

    /**
     * Applies one layer on top of the previous ones (lowest layer first). Reads {@code blob} to its end
     * and leaves it open.
     *
     * @throws ImageException when the image keeps more than the limits allow: reading it again would not help
     */
    public void applyLayer(InputStream blob, String mediaType) throws IOException, ImageException {
        Compression compression = compression(mediaType);
        InputStream raw = new BufferedInputStream(CloseShieldInputStream.wrap(blob));
        if (compression == Compression.SNIFF) {
            compression = sniff(raw);
        }
        try (InputStream tarStream = decompress(raw, compression);
             TarArchiveInputStream tar = new TarArchiveInputStream(tarStream)) {
            KeptFiles added = new KeptFiles();
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                applyEntry(tar, entry, added);
            }
            files.putAll(added);
            // Read the rest (tar padding, compression trailer) so that the gzip checksum is verified and a
            // caller digesting the blob sees all of it.
            tarStream.transferTo(OutputStream.nullOutputStream());
            raw.transferTo(OutputStream.nullOutputStream());
        }
    }

    /**
     * The image's OS and installed packages.
     *
     * @throws ImageException when the OS is not Debian or Ubuntu, or the dpkg database is missing or lists
     *         no installed package (a full report without packages would erase what DebMonitor has)
     */
    public ImageContents result() throws ImageException {
        String os = os();
        DpkgStatus status = DpkgStatus.parse(statusText(), () -> debianArch);
        if (status.packages().isEmpty()) {
            throw new ImageException("the dpkg database lists no installed package");
        }
        return new ImageContents(os, status.packages());
    }

    /**
     * Whiteouts and entries of a layer hide what lower layers have at their paths; {@code added} collects
     * this layer's kept files so that its own whiteouts do not touch them.
     */
    private void applyEntry(TarArchiveInputStream tar, TarArchiveEntry entry, KeptFiles added)
            throws IOException, ImageException {
        String path = clean(entry.getName());
        if (path.isEmpty()) {
            return;
        }
        int slash = path.lastIndexOf('/');
        String dir = slash < 0 ? "" : path.substring(0, slash);
        String name = path.substring(slash + 1);
        if (name.startsWith(WHITEOUT)) {
            if (name.equals(OPAQUE)) {
                files.removeBelow(dir);
            } else if (!name.startsWith(WHITEOUT + WHITEOUT)) {
                String hidden = child(dir, name.substring(WHITEOUT.length()));
                files.remove(hidden);
                files.removeBelow(hidden);
            }
            // Other .wh..wh. names are AUFS metadata.
            return;
        }
        files.remove(path);
        if (!entry.isDirectory()) {
            files.removeBelow(path);
        }
        if (!kept(path)) {
            return;
        }
        if (entry.isSymbolicLink()) {
            String target = entry.getLinkName();
            added.put(path, new Node(null, clean(target.startsWith("/") ? target : child(dir, target))));
        } else if (entry.isLink()) {
            // A hard link names an earlier entry of the archive; it can be followed only if that one was kept.
            String target = clean(entry.getLinkName());
            Node node = added.containsKey(target) ? added.get(target) : files.get(target);
            if (node != null) {
                added.put(path, node);
            }
        } else if (entry.isFile()) {
            if (entry.getSize() > limits.fileBytes()) {
                throw new ImageException("/" + path + " has " + entry.getSize() + " bytes, more than the limit of "
                        + limits.fileBytes() + " bytes");
            }
            added.put(path, new Node(tar.readAllBytes(), null));
        }
        if (files.bytes + added.bytes > limits.keptBytes()) {
            throw new ImageException("its dpkg database and os-release files take more than "
                    + limits.keptBytes() + " bytes");
        }
        if (files.statusDEntries + added.statusDEntries > limits.statusDEntries()) {
            throw new ImageException("more than " + limits.statusDEntries() + " entries in /" + STATUS_D);
        }
    }

    private static boolean kept(String path) {
        if (path.equals(STATUS) || path.equals(ETC_OS_RELEASE) || path.equals(USR_OS_RELEASE)) {
            return true;
        }
        if (!path.startsWith(STATUS_D + "/")) {
            return false;
        }
        String name = path.substring(STATUS_D.length() + 1);
        return name.indexOf('/') < 0 && !name.endsWith(".md5sums");
    }

    private String os() throws ImageException {
        String file = ETC_OS_RELEASE;
        byte[] content = content(file);
        if (content == null) {
            file = USR_OS_RELEASE;
            content = content(file);
        }
        if (content == null) {
            throw new ImageException("no os-release: neither /" + ETC_OS_RELEASE + " nor /" + USR_OS_RELEASE);
        }
        String os;
        try {
            os = OsRelease.parse(new String(content, StandardCharsets.UTF_8), "/" + file);
        } catch (ClientException e) {
            throw new ImageException(e.getMessage(), e);
        }
        if (!SUPPORTED_OS.matcher(os).matches()) {
            throw new ImageException("unsupported OS \"" + os + "\": only Debian and Ubuntu images are reported");
        }
        return os;
    }

    /** The status file followed by the status.d files (distroless), as one text of stanzas. */
    private String statusText() throws ImageException {
        StringBuilder text = new StringBuilder();
        byte[] status = content(STATUS);
        boolean found = status != null;
        if (found) {
            text.append(latin1(status));
            endStanza(text);
        }
        for (String path : files.below(STATUS_D).keySet()) {
            byte[] entry = content(path);
            if (entry != null) {
                appendStatusDEntry(text, latin1(entry));
                found = true;
            }
        }
        if (!found) {
            throw new ImageException("no dpkg database: neither /" + STATUS + " nor /" + STATUS_D + "/*");
        }
        return text.toString();
    }

    /**
     * Appends the stanzas of a status.d entry. Builders that write them from the package's control
     * fields (dpkg-deb --field) leave out Status: such a package is installed, so its stanza gets
     * {@value #INSTALLED}, which dpkg itself would never leave out.
     */
    private static void appendStatusDEntry(StringBuilder text, String entry) {
        boolean inStanza = false;
        boolean hasStatus = false;
        for (Iterator<String> lines = entry.lines().iterator(); lines.hasNext(); ) {
            String line = lines.next();
            if (line.isEmpty()) {
                if (inStanza && !hasStatus) {
                    text.append(INSTALLED).append('\n');
                }
                inStanza = hasStatus = false;
            } else {
                inStanza = true;
                hasStatus |= line.startsWith("Status:");
            }
            text.append(line).append('\n');
        }
        if (inStanza && !hasStatus) {
            text.append(INSTALLED).append('\n');
        }
        text.append('\n');
    }

    /** Ends the last stanza of the text with a blank line, so that the next piece starts a new one. */
    private static void endStanza(StringBuilder text) {
        if (text.length() > 0 && text.charAt(text.length() - 1) != '\n') {
            text.append('\n');
        }
        text.append('\n');
    }

    /** Latin-1 never fails to decode; the fields used are ASCII. */
    private static String latin1(byte[] content) {
        return new String(content, StandardCharsets.ISO_8859_1);
    }

    /** The content of a kept file, following symbolic links; null when missing or dangling. */
    private byte[] content(String path) {
        Node node = files.get(path);
        for (int hops = 0; node != null && node.linkTarget != null && hops < MAX_SYMLINKS; hops++) {
            node = files.get(node.linkTarget);
        }
        return node == null ? null : node.content;
    }

    private static Compression compression(String mediaType) throws IOException {
        if (mediaType == null) {
            throw new IOException("layer without a media type");
        }
        switch (mediaType) {
            case "application/vnd.oci.image.layer.v1.tar",
                    "application/vnd.oci.image.layer.nondistributable.v1.tar":
                return Compression.NONE;
            case "application/vnd.oci.image.layer.v1.tar+gzip",
                    "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip":
                return Compression.GZIP;
            case "application/vnd.oci.image.layer.v1.tar+zstd",
                    "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd":
                return Compression.ZSTD;
            default:
                // Docker's media types do not always tell the truth: tools push zstd or plain tar as
                // application/vnd.docker.image.rootfs.diff.tar.gzip.
                if (mediaType.startsWith("application/vnd.docker.image.rootfs.")) {
                    return Compression.SNIFF;
                }
                throw new IOException("unsupported layer media type " + mediaType);
        }
    }

    private static Compression sniff(InputStream raw) throws IOException {
        byte[] magic = new byte[4];
        raw.mark(magic.length);
        int n = raw.readNBytes(magic, 0, magic.length);
        raw.reset();
        if (GzipCompressorInputStream.matches(magic, n)) {
            return Compression.GZIP;
        }
        if (ZstdUtils.matches(magic, n)) {
            return Compression.ZSTD;
        }
        return Compression.NONE;
    }

    private static InputStream decompress(InputStream raw, Compression compression) throws IOException {
        switch (compression) {
            case GZIP:
                // Concatenated members: eStargz layers are one gzip member per file.
                return GzipCompressorInputStream.builder().setInputStream(raw).setDecompressConcatenated(true).get();
            case ZSTD:
                return new ZstdCompressorInputStream(raw);
            default:
                return raw;
        }
    }

    private static String child(String dir, String name) {
        return dir.isEmpty() ? name : dir + "/" + name;
    }

    /** The path relative to the root without ".", ".." or empty components ("./etc//x/" gives "etc/x"). */
    static String clean(String path) {
        Deque<String> parts = new ArrayDeque<>();
        for (String part : path.split("/")) {
            if (part.equals("..")) {
                parts.pollLast();
            } else if (!part.isEmpty() && !part.equals(".")) {
                parts.addLast(part);
            }
        }
        return String.join("/", parts);
    }
}
