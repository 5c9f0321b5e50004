package io.debmonitor.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPInputStream;

/**
 * Source lookups in the APT package lists ({@code <lists>/*_Packages*}), read directly. One pass over
 * the lists answers a whole batch, and it is several times faster than {@code apt-cache show
 * name=version}, which makes apt build its whole cache. Uncompressed and gzip lists are read here;
 * other compressions (lz4, xz, zstd, bzip2) go through {@code apt-helper cat-file}.
 */
final class AptLists {

    static final Path DEFAULT_DIR = Path.of("/var/lib/apt/lists");
    static final String APT_HELPER = "/usr/lib/apt/apt-helper";

    private AptLists() {
    }

    /** The key of a binary package version: bare name and version. */
    static String key(String name, String version) {
        return name + ' ' + version;
    }

    /**
     * Finds the source of each requested {@link #key(String, String) name/version}. The result maps each
     * key found to its source; keys not in any list are absent. Stops reading once all are found.
     */
    static Map<String, DpkgStatus.Source> lookup(Collection<String> keys, Path listsDir) {
        Map<String, DpkgStatus.Source> found = new HashMap<>();
        if (keys.isEmpty()) {
            return found;
        }
        Set<String> wanted = new HashSet<>(keys);
        Set<String> names = new HashSet<>();
        for (String k : wanted) {
            names.add(k.substring(0, k.indexOf(' ')));
        }
        scanAll(listsDir, names, wanted, found, () -> false);
        return found;
    }

    /**
     * Collects the source of every version of these packages that the lists offer, keyed by
     * {@link #key(String, String)}. Meant to run while apt-cache computes the candidates, before the
     * wanted versions are known; {@code cancelled} stops it early.
     */
    static Map<String, DpkgStatus.Source> collect(Set<String> names, Path listsDir, BooleanSupplier cancelled) {
        Map<String, DpkgStatus.Source> found = new HashMap<>();
        scanAll(listsDir, names, null, found, cancelled);
        return found;
    }

    private static void scanAll(Path listsDir, Set<String> names, Set<String> wanted,
                                Map<String, DpkgStatus.Source> found, BooleanSupplier cancelled) {
        for (Path file : listFiles(listsDir)) {
            try {
                if (!scanFile(file, names, wanted, found, cancelled)) {
                    return;
                }
            } catch (IOException e) {
                Log.warning("cannot read the APT list " + file + ": " + Log.reason(e));
            }
        }
    }

    /** The Packages lists in the directory, security lists first (their versions are the likely ones). */
    static List<Path> listFiles(Path dir) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path p : stream) {
                String n = p.getFileName().toString();
                int idx = n.lastIndexOf("_Packages");
                if (idx < 0) {
                    continue;
                }
                String ext = n.substring(idx + "_Packages".length());
                if (ext.isEmpty() || ext.equals(".gz") || ext.equals(".lz4") || ext.equals(".xz")
                        || ext.equals(".zst") || ext.equals(".bz2") || ext.equals(".lzma")) {
                    files.add(p);
                }
            }
        } catch (IOException e) {
            Log.debug("cannot list " + dir + ": " + e.getMessage());
        }
        files.sort((a, b) -> {
            boolean sa = a.getFileName().toString().contains("-security");
            boolean sb = b.getFileName().toString().contains("-security");
            return sa == sb ? a.compareTo(b) : sa ? -1 : 1;
        });
        return files;
    }

    /** Scans one list; returns false when the scan should stop (all found, or cancelled). */
    private static boolean scanFile(Path file, Set<String> names, Set<String> wanted,
                                    Map<String, DpkgStatus.Source> found, BooleanSupplier cancelled)
            throws IOException {
        String n = file.getFileName().toString();
        if (n.endsWith("_Packages")) {
            try (InputStream in = Files.newInputStream(file)) {
                return scan(in, names, wanted, found, cancelled);
            }
        }
        if (n.endsWith(".gz")) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 65536)) {
                return scan(in, names, wanted, found, cancelled);
            }
        }
        Process p = Exec.startStreaming(List.of(APT_HELPER, "cat-file", file.toString()));
        boolean complete;
        try (InputStream in = p.getInputStream()) {
            complete = scan(in, names, wanted, found, cancelled);
        } finally {
            if (p.isAlive()) {
                p.destroy(); // we stopped early, or failed
            }
        }
        try {
            int code = Exec.finish(p);
            if (complete && code != 0) {
                throw new IOException("apt-helper cat-file exited with status " + code);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return complete;
    }

    /**
     * Scans Packages stanzas of the named packages, keeping the wanted name/version pairs (all of them
     * if {@code wanted} is null). Works on bytes and decodes only the few fields needed, because the
     * lists are tens of megabytes. Returns false if it stopped early.
     */
    static boolean scan(InputStream raw, Set<String> names, Set<String> wanted,
                        Map<String, DpkgStatus.Source> found, BooleanSupplier cancelled) throws IOException {
        LineReader in = new LineReader(raw);
        String pkg = null;
        String version = null;
        String source = null;
        boolean interesting = false;
        while (true) {
            int len = in.next();
            if (len <= 0) {
                if (interesting && version != null) {
                    String key = key(pkg, version);
                    if ((wanted == null || wanted.contains(key)) && !found.containsKey(key)) {
                        found.put(key, DpkgStatus.parseSource(source, pkg, version));
                        if (wanted != null && found.size() == wanted.size()) {
                            return false;
                        }
                    }
                }
                if (len < 0) {
                    return true;
                }
                if (cancelled.getAsBoolean()) {
                    return false;
                }
                pkg = version = source = null;
                interesting = false;
                continue;
            }
            byte[] b = in.buf;
            int s = in.start;
            byte c = b[s];
            if (c == 'P' && in.startsWith("Package:")) {
                pkg = in.value(8);
                interesting = names.contains(pkg);
            } else if (!interesting) {
                continue;
            } else if (c == 'V' && in.startsWith("Version:")) {
                version = in.value(8);
            } else if (c == 'S' && in.startsWith("Source:")) {
                source = in.value(7);
            }
        }
    }

    /** Reads lines out of a large byte buffer without creating a String per line. */
    private static final class LineReader {
        private final InputStream in;
        byte[] buf = new byte[1 << 16];
        int start;
        int end;
        private int pos;
        private int limit;
        private boolean eof;

        LineReader(InputStream in) {
            this.in = in;
        }

        /** Advances to the next line; returns its length, 0 for a blank line, -1 at the end. */
        int next() throws IOException {
            while (true) {
                for (int i = pos; i < limit; i++) {
                    if (buf[i] == '\n') {
                        start = pos;
                        end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
                        pos = i + 1;
                        return end - start;
                    }
                }
                if (eof) {
                    if (pos < limit) {
                        start = pos;
                        end = limit;
                        pos = limit;
                        return end - start;
                    }
                    return -1;
                }
                fill();
            }
        }

        private void fill() throws IOException {
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, limit - pos);
                limit -= pos;
                pos = 0;
            }
            if (limit == buf.length) {
                buf = java.util.Arrays.copyOf(buf, buf.length * 2); // a very long line
            }
            int n = in.read(buf, limit, buf.length - limit);
            if (n < 0) {
                eof = true;
            } else {
                limit += n;
            }
        }

        boolean startsWith(String prefix) {
            if (end - start < prefix.length()) {
                return false;
            }
            for (int i = 0; i < prefix.length(); i++) {
                if (buf[start + i] != prefix.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        String value(int offset) {
            int s = start + offset;
            int e = end;
            while (s < e && (buf[s] == ' ' || buf[s] == '\t')) {
                s++;
            }
            while (e > s && (buf[e - 1] == ' ' || buf[e - 1] == '\t')) {
                e--;
            }
            return new String(buf, s, e - s, StandardCharsets.ISO_8859_1);
        }
    }
}
