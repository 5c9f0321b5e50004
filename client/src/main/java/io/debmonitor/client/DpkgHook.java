package io.debmonitor.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** The dpkg hook stdin protocol, VERSION 2 and 3 (SPEC §1.11), turned into a dpkg_hook report. */
final class DpkgHook {

    static final String CONFIGURE = "**CONFIGURE**";

    /** One action line; the arch fields are null with protocol version 2. */
    record Action(String name, String oldVersion, String oldArch, String direction, String newVersion,
                  String newArch, String action) {
    }

    /** The parsed input: protocol version, apt's configuration and the usable action lines. */
    record Input(int version, Map<String, String> config, List<Action> actions) {
        static final Input EMPTY = new Input(0, Map.of(), List.of());
    }

    /** The report lists; {@code sourceVersion} is null in uninstalled items. */
    record Report(List<Payload.Package> installed, List<Payload.Package> uninstalled) {
        boolean isEmpty() {
            return installed.isEmpty() && uninstalled.isEmpty();
        }
    }

    private DpkgHook() {
    }

    /**
     * Parses hook input (all of stdin). Empty input gives {@link Input#EMPTY}. Fails on an unknown
     * protocol line or a missing empty line after the configuration; bad action lines are skipped
     * with a warning.
     */
    static Input parse(String text) throws ClientException {
        if (text.isBlank()) {
            return Input.EMPTY;
        }
        String[] lines = text.split("\n", -1);
        int count = text.endsWith("\n") ? lines.length - 1 : lines.length; // the last "" is no line
        String first = stripCr(lines[0]);
        int version;
        if (first.equals("VERSION 2")) {
            version = 2;
        } else if (first.equals("VERSION 3")) {
            version = 3;
        } else {
            throw new ClientException("Unsupported hook protocol: " + first);
        }
        Map<String, String> config = new HashMap<>();
        int i = 1;
        while (i < count && !stripCr(lines[i]).isEmpty()) {
            String line = stripCr(lines[i]);
            int eq = line.indexOf('=');
            if (eq > 0) {
                config.put(line.substring(0, eq), line.substring(eq + 1));
            }
            i++;
        }
        if (i >= count) {
            throw new ClientException("Malformed hook input: no empty line after apt's configuration");
        }
        int fields = version == 2 ? 5 : 9;
        List<Action> actions = new ArrayList<>();
        for (i++; i < count; i++) {
            String line = stripCr(lines[i]);
            if (line.isEmpty() || line.endsWith(" " + CONFIGURE)) {
                continue;
            }
            String[] f = line.split(" ", -1);
            if (f.length != fields) {
                Log.warning("Skipping malformed hook line (expected " + fields + " fields, got " + f.length
                        + "): " + line);
                continue;
            }
            Action a = version == 2
                    ? new Action(f[0], f[1], null, f[2], f[3], null, f[4])
                    : new Action(f[0], f[1], f[2], f[4], f[5], f[6], f[8]);
            if (!a.direction.equals("<") && !a.direction.equals(">") && !a.direction.equals("=")) {
                Log.warning("Skipping hook line with unknown direction '" + a.direction + "': " + line);
                continue;
            }
            if (a.name.isEmpty() || (a.newVersion.equals("-") && a.oldVersion.equals("-"))) {
                Log.warning("Skipping hook line without a package or version: " + line);
                continue;
            }
            actions.add(a);
        }
        return new Input(version, config, actions);
    }

    private static String stripCr(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    /** The APT lists directory from apt's configuration dump (Dir, Dir::State, Dir::State::lists). */
    static Path listsDir(Map<String, String> config) {
        String lists = config.getOrDefault("Dir::State::lists", "lists/");
        if (lists.startsWith("/")) {
            return Path.of(lists);
        }
        String state = config.getOrDefault("Dir::State", "var/lib/apt/");
        if (!state.startsWith("/")) {
            state = config.getOrDefault("Dir", "/") + "/" + state;
        }
        return Path.of(state, lists).normalize();
    }

    /**
     * Builds the report. Names are qualified with v3 archs; when a name has several lines the last
     * wins. Removals take their source from {@code status}; installs from {@code listLookup}
     * ({@link AptLists#key} keys, one batch), else {@code debLookup} (the action's .deb), else the name.
     */
    static Report build(Input input, String nativeArch, DpkgStatus status,
                        Function<Collection<String>, Map<String, DpkgStatus.Source>> listLookup,
                        Function<String, DpkgStatus.Source> debLookup) {
        Map<String, Action> last = new LinkedHashMap<>();
        Map<String, Boolean> removal = new HashMap<>();
        for (Action a : input.actions) {
            boolean remove = a.newVersion.equals("-");
            if (!remove && a.direction.equals("=")) {
                continue;
            }
            String name = DpkgStatus.qualify(a.name, remove ? a.oldArch : a.newArch, nativeArch);
            last.put(name, a);
            removal.put(name, remove);
        }

        Set<String> keys = new LinkedHashSet<>();
        for (Map.Entry<String, Action> e : last.entrySet()) {
            if (!removal.get(e.getKey())) {
                keys.add(AptLists.key(e.getValue().name, e.getValue().newVersion));
            }
        }
        Map<String, DpkgStatus.Source> fromLists = keys.isEmpty() ? Map.of() : listLookup.apply(keys);

        List<Payload.Package> installed = new ArrayList<>();
        List<Payload.Package> uninstalled = new ArrayList<>();
        for (Map.Entry<String, Action> e : last.entrySet()) {
            String name = e.getKey();
            Action a = e.getValue();
            if (removal.get(name)) {
                DpkgStatus.Installed current = status == null ? null : status.find(name);
                String source = current != null ? current.source() : a.name;
                uninstalled.add(new Payload.Package(name, a.oldVersion, source, null));
                continue;
            }
            DpkgStatus.Source src = fromLists.get(AptLists.key(a.name, a.newVersion));
            if (src == null && a.action.endsWith(".deb")) {
                src = debLookup.apply(a.action);
                if (src != null && src.version() == null) {
                    src = null;
                }
            }
            if (src == null) {
                Log.debug("no source found for " + name + " " + a.newVersion + "; using the package name");
                installed.add(new Payload.Package(name, a.newVersion, a.name, null));
            } else {
                installed.add(new Payload.Package(name, a.newVersion, src.name(), src.version()));
            }
        }
        return new Report(installed, uninstalled);
    }

    /** The source of a local .deb, from {@code dpkg-deb -f}; null if it cannot be read. */
    static DpkgStatus.Source debSource(String debPath) {
        if (!Files.isRegularFile(Path.of(debPath))) {
            return null;
        }
        try {
            Exec.Result r = Exec.run(List.of("dpkg-deb", "-f", debPath, "Package", "Version", "Source"));
            if (r.exitCode() != 0) {
                Log.debug("dpkg-deb -f " + debPath + ": " + Log.oneLine(r.stderr()));
                return null;
            }
            return parseControl(r.stdoutText());
        } catch (IOException e) {
            Log.debug("cannot run dpkg-deb: " + e.getMessage());
            return null;
        }
    }

    /** Parses "Package: x / Version: y / Source: z" control lines into a source. */
    static DpkgStatus.Source parseControl(String control) {
        String pkg = null;
        String version = null;
        String source = null;
        for (String line : control.split("\n")) {
            if (line.startsWith("Package:")) {
                pkg = line.substring(8).strip();
            } else if (line.startsWith("Version:")) {
                version = line.substring(8).strip();
            } else if (line.startsWith("Source:")) {
                source = line.substring(7).strip();
            }
        }
        return pkg == null ? null : DpkgStatus.parseSource(source, pkg, version);
    }
}
