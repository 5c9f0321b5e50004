package io.debmonitor.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The installed binary packages, read from the dpkg status database (SPEC §7.4). */
public final class DpkgStatus {

    static final Path DEFAULT_PATH = Path.of("/var/lib/dpkg/status");

    /** One reported package; {@code name} is qualified as {@code name:arch} for foreign architectures. */
    public record Installed(String name, String bareName, String arch, String version, String source,
                     String sourceVersion) {
    }

    /** A source package name and version; the version may be null when unknown. */
    record Source(String name, String version) {
    }

    private final List<Installed> packages;
    private final Map<String, Installed> byName;
    private final String nativeArch;

    private DpkgStatus(List<Installed> packages, String nativeArch) {
        this.packages = Collections.unmodifiableList(packages);
        this.nativeArch = nativeArch;
        this.byName = new HashMap<>(packages.size() * 2);
        for (Installed p : packages) {
            byName.put(p.name, p);
        }
    }

    /** The reported packages, in database order. */
    public List<Installed> packages() {
        return packages;
    }

    /** The installed package with this (qualified) name, or null. */
    Installed find(String name) {
        return byName.get(name);
    }

    /** The native architecture (that of the installed dpkg package), or null if unknown. */
    String nativeArch() {
        return nativeArch;
    }

    static DpkgStatus read(Path file) throws ClientException {
        String text;
        try {
            // Latin-1 never fails to decode; the fields we use are ASCII.
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new ClientException("cannot read the dpkg status database " + file + ": " + Log.reason(e), e);
        }
        return parse(text, DpkgStatus::dpkgPrintArchitecture);
    }

    /**
     * Parses status text. {@code fallbackArch} gives the native architecture when the text has no
     * installed dpkg stanza (it is called at most once).
     */
    public static DpkgStatus parse(String text, java.util.function.Supplier<String> fallbackArch) {
        List<String[]> stanzas = new ArrayList<>(2048);
        String nativeArch = null;
        String pkg = null;
        String status = null;
        String arch = null;
        String version = null;
        String source = null;
        int pos = 0;
        int len = text.length();
        while (true) {
            int end = pos >= len ? len : text.indexOf('\n', pos);
            if (end < 0) {
                end = len;
            }
            if (end == pos || (end == pos + 1 && text.charAt(pos) == '\r')) {
                // End of a stanza: a blank line, or the end of the text.
                if (pkg != null && version != null && reported(status)) {
                    stanzas.add(new String[] {pkg, arch, version, source});
                    if (pkg.equals("dpkg") && arch != null) {
                        nativeArch = arch;
                    }
                }
                pkg = status = arch = version = source = null;
                if (pos >= len) {
                    break;
                }
            } else {
                char c = text.charAt(pos);
                // Only five fields matter; test the first letter before comparing whole prefixes.
                if (c == 'P' && text.startsWith("Package:", pos)) {
                    pkg = value(text, pos + 8, end);
                } else if (c == 'S' && text.startsWith("Status:", pos)) {
                    status = value(text, pos + 7, end);
                } else if (c == 'S' && text.startsWith("Source:", pos)) {
                    source = value(text, pos + 7, end);
                } else if (c == 'A' && text.startsWith("Architecture:", pos)) {
                    arch = value(text, pos + 13, end);
                } else if (c == 'V' && text.startsWith("Version:", pos)) {
                    version = value(text, pos + 8, end);
                }
            }
            pos = end == len ? len : end + 1;
        }
        if (nativeArch == null) {
            nativeArch = fallbackArch.get();
        }
        List<Installed> packages = new ArrayList<>(stanzas.size());
        for (String[] s : stanzas) {
            Source src = parseSource(s[3], s[0], s[2]);
            packages.add(new Installed(qualify(s[0], s[1], nativeArch), s[0], s[1], s[2], src.name, src.version));
        }
        return new DpkgStatus(packages, nativeArch);
    }

    private static String value(String text, int from, int end) {
        int to = end > from && text.charAt(end - 1) == '\r' ? end - 1 : end;
        return text.substring(from, to).strip();
    }

    /** Status is "want flag state"; these states have files on disk and are reported. */
    static boolean reported(String status) {
        if (status == null) {
            return false;
        }
        int space = status.lastIndexOf(' ');
        switch (status.substring(space + 1)) {
            case "installed", "unpacked", "half-configured", "half-installed", "triggers-awaited",
                    "triggers-pending":
                return true;
            default:
                return false;
        }
    }

    /** {@code name:arch} unless the arch is empty, {@code all} or native. */
    static String qualify(String name, String arch, String nativeArch) {
        if (arch == null || arch.isEmpty() || arch.equals("-") || arch.equals("all") || arch.equals(nativeArch)) {
            return name;
        }
        return name + ":" + arch;
    }

    /**
     * Parses a {@code Source} field: {@code "binutils (2.40-2)"} gives binutils 2.40-2, {@code "openssl"}
     * gives openssl at the binary version, and no field gives the package name and version.
     */
    static Source parseSource(String field, String pkg, String version) {
        if (field == null || field.isEmpty()) {
            return new Source(pkg, version);
        }
        int paren = field.indexOf('(');
        if (paren < 0) {
            return new Source(field.strip(), version);
        }
        int close = field.indexOf(')', paren);
        String name = field.substring(0, paren).strip();
        String srcVersion = field.substring(paren + 1, close < 0 ? field.length() : close).strip();
        return new Source(name.isEmpty() ? pkg : name, srcVersion.isEmpty() ? version : srcVersion);
    }

    private static String dpkgPrintArchitecture() {
        try {
            Exec.Result r = Exec.run(List.of("dpkg", "--print-architecture"));
            if (r.exitCode() == 0) {
                String arch = r.stdoutText().strip();
                return arch.isEmpty() ? null : arch;
            }
        } catch (IOException e) {
            Log.debug("cannot run dpkg --print-architecture: " + e.getMessage());
        }
        return null;
    }
}
