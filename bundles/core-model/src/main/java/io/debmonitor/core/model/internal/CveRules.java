package io.debmonitor.core.model.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an entity meets the feed, immutable: which release an OS name maps to (CVE.md §1.5: the
 * imported distributions.json over the static table, and the {@code releaseMap} setting over
 * both), which sources wrap a signed kernel (§3.5) and which images are VM images (§6). Carried
 * by the feed cache that every judging path obtains through {@link Database#cveFeed(Connection)}.
 */
final class CveRules {

    /** CVE.md §1.5's static table: Debian major version → codename, used where distributions.json says nothing. */
    static final Map<String, String> CODENAMES = Map.of("7", "wheezy", "8", "jessie", "9", "stretch", "10", "buster", "11", "bullseye",
            "12", "bookworm", "13", "trixie", "14", "forky", "15", "duke");
    static final String DEFAULT_SIGNED_KERNEL = "^linux-signed-(amd64|arm64|i386)$";
    private static final Pattern DEBIAN = Pattern.compile("^Debian(?: ([0-9]+))?$");
    private static final Pattern CODENAME = Pattern.compile("^[a-z0-9-]{1,64}$");
    /** The regex characters that end a pattern's literal prefix. */
    private static final String SPECIAL = "\\.[]{}()*+?^$|";
    private static final String FINGERPRINT = "rules";
    private static final Logger LOGGER = LoggerFactory.getLogger(CveRules.class);

    /**
     * The settings of PID {@code io.debmonitor.cve} that decide verdicts (CVE.md §2.4).
     *
     * @param releaseMap   OS name → codename
     * @param fingerprint  the settings as one string: stored findings were computed with it
     */
    record Settings(Map<String, String> releaseMap, Pattern kernelSignedSources, List<Pattern> vmImagePatterns, String fingerprint) {

        static final Settings DEFAULT = of("", DEFAULT_SIGNED_KERNEL, "");

        static Settings of(CveConfiguration config) {
            return of(config.releaseMap(), config.kernelSignedSources(), config.vmImagePatterns());
        }

        /** @throws IllegalArgumentException with the setting's name when a value is malformed */
        static Settings of(String releaseMap, String kernelSignedSources, String vmImagePatterns) {
            Map<String, String> map = new LinkedHashMap<>();
            for (String pair : split(releaseMap)) {
                int equals = pair.lastIndexOf('=');
                String os = equals < 0 ? "" : pair.substring(0, equals).strip();
                String codename = equals < 0 ? "" : pair.substring(equals + 1).strip();
                if (os.isEmpty() || !CODENAME.matcher(codename).matches()) {
                    throw new IllegalArgumentException("cve releaseMap: '" + pair + "' is not an 'OS name=codename' pair (e.g. 'Debian=sid').");
                }
                map.put(os, codename);
            }
            Pattern signed;
            try {
                signed = Pattern.compile(kernelSignedSources == null ? "" : kernelSignedSources.strip());
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("cve kernelSignedSources is not a regular expression: " + e.getDescription() + " in '"
                        + kernelSignedSources + "'.");
            }
            List<Pattern> globs = new ArrayList<>();
            List<String> globTexts = split(vmImagePatterns);
            for (String glob : globTexts) {
                globs.add(glob(glob));
            }
            String fingerprint = "releaseMap=" + new java.util.TreeMap<>(map) + "\nkernelSignedSources=" + signed.pattern()
                    + "\nvmImagePatterns=" + new TreeSet<>(globTexts);
            return new Settings(Map.copyOf(map), signed, List.copyOf(globs), fingerprint);
        }
    }

    private final Settings settings;
    private final long distributions;
    /** Major version → codename: distributions.json over the static table. */
    private final Map<String, String> codenames;
    /** Codename → major version, where there is one. */
    private final Map<String, String> majors;

    private CveRules(Settings settings, long distributions, Map<String, String> imported) {
        this.settings = settings;
        this.distributions = distributions;
        this.codenames = codenames(imported);
        Map<String, String> reverse = new HashMap<>();
        codenames.forEach((major, codename) -> reverse.put(codename, major));
        this.majors = Map.copyOf(reverse);
    }

    /**
     * @param imported codename → major version of a distributions.json import ({@code ""} for sid
     *                 and testing), empty for none
     * @return major version → codename: the import over the static table
     */
    static Map<String, String> codenames(Map<String, String> imported) {
        Map<String, String> byMajor = new HashMap<>(CODENAMES);
        // distributions.json wins: a codename it gives a major version keeps only that one. One it
        // gives none (testing before its release) keeps the static table's.
        byMajor.values().removeIf(codename -> !imported.getOrDefault(codename, "").isEmpty());
        imported.forEach((codename, major) -> {
            if (!major.isEmpty()) {
                byMajor.put(major, codename);
            }
        });
        return Map.copyOf(byMajor);
    }

    /** The rules of these settings and of the active distributions.json import ({@code distributions}, 0 for none). */
    static CveRules load(Connection c, Settings settings, long distributions) throws SQLException {
        Map<String, String> imported = new HashMap<>();
        if (distributions > 0) {
            try (PreparedStatement ps = c.prepareStatement("select codename, major_version from cve_distribution where list_id = ?")) {
                ps.setLong(1, distributions);
                Rows.list(ps, rs -> imported.put(rs.getString(1), rs.getString(2)));
            }
        }
        return new CveRules(settings, distributions, imported);
    }

    /** The rules of the static table alone (no distributions.json imported). */
    static CveRules of(Settings settings) {
        return new CveRules(settings, 0, Map.of());
    }

    /** @return the id of the active distributions.json import, 0 for none */
    static long activeDistributions(Connection c) throws SQLException {
        Long id = Rows.id(c, "select max(id) from cve_list_import where kind = 'distributions' and result = 'active'");
        return id == null ? 0 : id;
    }

    Settings settings() {
        return settings;
    }

    long distributions() {
        return distributions;
    }

    /** @return the codename the OS maps to (the release map first, then {@code Debian NN}), or null */
    String release(String os) {
        String name = os == null ? "" : os;
        String mapped = settings.releaseMap().get(name);
        if (mapped != null) {
            return mapped;
        }
        Matcher debian = DEBIAN.matcher(name);
        return debian.matches() && debian.group(1) != null ? codenames.get(debian.group(1)) : null;
    }

    /** @return false for an OS the feed is not about (CVE.md §3.1 out-of-scope): neither Debian nor in the release map */
    boolean inScope(String os) {
        String name = os == null ? "" : os;
        return settings.releaseMap().containsKey(name) || DEBIAN.matcher(name).matches();
    }

    /** @return the Debian major version of a codename, or null (sid, or unknown) */
    String major(String codename) {
        return codename == null ? null : majors.get(codename);
    }

    /** @return true when the source wraps a signed kernel: its rows belong to the {@code linux} group (§3.5) */
    boolean signedKernel(String source) {
        return settings.kernelSignedSources().matcher(source).matches();
    }

    /** @return true when the image reference matches {@code vmImagePatterns} (§6) */
    boolean vmImage(String reference) {
        for (Pattern pattern : settings.vmImagePatterns()) {
            if (pattern.matcher(reference).matches()) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return the stored source names that {@link #signedKernel} matches: the rows a query for
     *         {@code linux} must also read. Names are read by the pattern's literal prefix when it
     *         has one ({@code ^linux-signed-…}), else all.
     */
    List<String> kernelWrapperSources(Connection c) throws SQLException {
        String prefix = literalPrefix(settings.kernelSignedSources().pattern());
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select name from source_package" + (prefix.isEmpty() ? "" : " where name like ?"))) {
            if (!prefix.isEmpty()) {
                ps.setString(1, Rows.startsWith(prefix));
            }
            Rows.list(ps, rs -> {
                String name = rs.getString(1);
                if (signedKernel(name)) {
                    out.add(name);
                }
                return null;
            });
        }
        return out;
    }

    /**
     * Marks every host and image for the refresher when {@code settings} differ from those the
     * stored findings were computed with (CVE.md §10: a change of the release map recomputes the
     * releases it affects; every entity is the simple superset), and records them.
     *
     * @return true when entities were marked
     */
    static boolean markIfChanged(Database database, Settings settings) {
        boolean changed = database.writeInBackground("cve settings", c -> {
            String stored = recordedFingerprint(c);
            if (storedFingerprint(stored).equals(settings.fingerprint())) {
                return false;
            }
            if (stored == null) {
                Rows.update(c, "insert into cve_setting (name, setting_value) values (?, ?)", FINGERPRINT, settings.fingerprint());
            } else {
                Rows.update(c, "update cve_setting set setting_value = ? where name = ?", settings.fingerprint(), FINGERPRINT);
            }
            markAll(c);
            return true;
        });
        if (changed) {
            LOGGER.info("cve: the release map, signed kernel sources or VM image patterns changed; every host and image is recomputed");
        }
        return changed;
    }

    /** @return the fingerprint of the settings the stored findings were computed with (one primary-key read) */
    static String storedFingerprint(Connection c) throws SQLException {
        return storedFingerprint(recordedFingerprint(c));
    }

    /** Findings stored before the record existed were computed with the defaults. */
    private static String storedFingerprint(String recorded) {
        return recorded != null ? recorded : Settings.DEFAULT.fingerprint();
    }

    /** @return the recorded fingerprint, or null before the first record */
    private static String recordedFingerprint(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select setting_value from cve_setting where name = ?")) {
            ps.setString(1, FINGERPRINT);
            List<String> values = Rows.list(ps, rs -> rs.getString(1));
            return values.isEmpty() ? null : values.get(0);
        }
    }

    /** Marks every host and image for the refresher. */
    static void markAll(Connection c) throws SQLException {
        for (KindDescriptor t : KindDescriptor.ALL) {
            Rows.update(c, "update " + t.entity() + " set cve_pending = cve_pending + 1");
        }
    }

    /**
     * The characters (after a leading {@code ^}, if any) up to the first special one; empty with an
     * alternative ({@code |}) outside groups and classes, which has its own start. The pattern is
     * taken as anchored with or without {@code ^}: {@link #signedKernel} matches the whole name.
     */
    static String literalPrefix(String regex) {
        int start = regex.startsWith("^") ? 1 : 0;
        int depth = 0;
        boolean inClass = false;
        for (int i = 0; i < regex.length(); i++) {
            char ch = regex.charAt(i);
            if (ch == '\\') {
                i++;
            } else if (inClass) {
                inClass = ch != ']';
            } else if (ch == '[') {
                inClass = true;
            } else if (ch == '(') {
                depth++;
            } else if (ch == ')') {
                depth--;
            } else if (ch == '|' && depth == 0) {
                return "";
            }
        }
        StringBuilder prefix = new StringBuilder();
        for (int i = start; i < regex.length() && SPECIAL.indexOf(regex.charAt(i)) < 0; i++) {
            prefix.append(regex.charAt(i));
        }
        // A quantifier after the last literal makes that literal optional.
        int end = start + prefix.length();
        if (end < regex.length() && "*?{".indexOf(regex.charAt(end)) >= 0 && prefix.length() > 0) {
            prefix.setLength(prefix.length() - 1);
        }
        return prefix.toString();
    }

    /** A glob: {@code *} any characters ({@code /} included), {@code ?} one; the rest literal. */
    static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char ch : glob.toCharArray()) {
            if (ch == '*' || ch == '?') {
                if (literal.length() > 0) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(ch == '*' ? ".*" : ".");
            } else {
                literal.append(ch);
            }
        }
        if (literal.length() > 0) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    private static List<String> split(String list) {
        List<String> out = new ArrayList<>();
        if (list != null) {
            for (String part : list.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
        }
        return out;
    }
}
