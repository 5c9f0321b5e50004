package io.debmonitor.core.model.api;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Versions for the property tests of {@link DebianVersion}: random ones that dpkg accepts, near
 * neighbours of a version (so that pairs are often equal or differ in one detail), and the real
 * ones of this machine and of the existing client's fixtures.
 */
public final class VersionSamples {

    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    /** Characters dpkg accepts with a warning; they still compare, as "other" characters. */
    private static final String ODD = "_%=!@^,;";

    private final Random random;

    public VersionSamples(long seed) {
        this.random = new Random(seed);
    }

    /** A random version that dpkg parses: epoch, several '-', '~', '+', '.', letters, long and zero-padded digit runs. */
    public String version() {
        StringBuilder v = new StringBuilder();
        boolean epoch = random.nextInt(4) == 0;
        if (epoch) {
            v.append(digits(1 + random.nextInt(4))).append(':');
        }
        v.append(digits(1 + random.nextInt(3)));
        tokens(v, random.nextInt(8), epoch);
        int dashes = random.nextInt(3) == 0 ? 0 : random.nextInt(4) == 0 ? 2 + random.nextInt(2) : 1;
        for (int i = 0; i < dashes; i++) {
            v.append('-');
            boolean last = i == dashes - 1;
            if (last || random.nextInt(5) > 0) {
                v.append(random.nextBoolean() ? digits(1 + random.nextInt(2)) : LETTERS.charAt(random.nextInt(LETTERS.length())));
            }
            tokens(v, random.nextInt(5), epoch);
        }
        return validForDpkg(v.toString()) ? v.toString() : version();
    }

    /** A version close to {@code v} (often dpkg-equal to it) that dpkg still parses; {@code v} itself when none is found. */
    public String neighbour(String v) {
        for (int attempt = 0; attempt < 20; attempt++) {
            String n = mutate(v, v.indexOf(':') >= 0);
            if (validForDpkg(n)) {
                return n;
            }
        }
        return v;
    }

    private String mutate(String v, boolean epoch) {
        int at = random.nextInt(v.length() + 1);
        switch (random.nextInt(9)) {
            case 0: {
                StringBuilder tail = new StringBuilder(v.substring(0, at));
                tokens(tail, 1 + random.nextInt(3), epoch);
                return tail.toString();
            }
            case 1:
                return v.substring(0, at) + "0" + v.substring(at);
            case 2:
                return at < v.length() ? v.substring(0, at) + v.substring(at + 1) : v + "~";
            case 3:
                return v.substring(0, at) + "~+.-0aZ".charAt(random.nextInt(7)) + v.substring(Math.min(v.length(), at + 1));
            case 4:
                return v + List.of("-0", ".0", "0", "~", "+b1", "~rc1", "-1", "a").get(random.nextInt(8));
            case 5:
                return epoch ? v.substring(v.indexOf(':') + 1) : "0:" + v;
            case 6:
                return v.indexOf('-') >= 0 ? v.substring(0, v.lastIndexOf('-')) : v + "-0";
            case 7:
                return v.replaceFirst("(\\d+)$", "0$1");
            default:
                return v.toLowerCase(java.util.Locale.ROOT).equals(v) ? v.toUpperCase(java.util.Locale.ROOT) : v.toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Separators and runs; a run may be empty between two separators. */
    private void tokens(StringBuilder v, int count, boolean epoch) {
        for (int i = 0; i < count; i++) {
            int kind = random.nextInt(20);
            if (kind < 7) {
                v.append(digits(1 + random.nextInt(3)));
            } else if (kind < 9) {
                v.append(digits(10 + random.nextInt(25)));
            } else if (kind < 12) {
                int n = 1 + random.nextInt(4);
                for (int j = 0; j < n; j++) {
                    v.append(LETTERS.charAt(random.nextInt(LETTERS.length())));
                }
            } else if (kind < 18) {
                v.append("~~+..+~".charAt(random.nextInt(7)));
            } else if (kind == 18 && epoch) {
                v.append(':');
            } else {
                v.append(ODD.charAt(random.nextInt(ODD.length())));
            }
        }
    }

    private String digits(int n) {
        StringBuilder d = new StringBuilder();
        if (random.nextInt(6) == 0) {
            d.append("0".repeat(1 + random.nextInt(3)));
        }
        for (int i = 0; i < n; i++) {
            d.append((char) ('0' + random.nextInt(10)));
        }
        return d.toString();
    }

    /** What dpkg refuses outright: bad epoch, empty upstream or revision, whitespace, over 255 characters. */
    static boolean validForDpkg(String v) {
        if (v.isEmpty() || v.length() > Names.MAX_LENGTH || v.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
            return false;
        }
        String rest = v;
        int colon = v.indexOf(':');
        if (colon >= 0) {
            String epoch = v.substring(0, colon);
            if (!epoch.matches("[0-9]+") || epoch.replaceFirst("^0+", "").length() > 9) {
                return false;
            }
            rest = v.substring(colon + 1);
        }
        int dash = rest.lastIndexOf('-');
        return !rest.isEmpty() && dash != 0 && dash != rest.length() - 1;
    }

    /** The versions of the packages installed on this machine, as dpkg reports them. */
    public static List<String> installedVersions() {
        List<String> versions = new ArrayList<>();
        try {
            Process p = new ProcessBuilder("dpkg-query", "-W", "-f", "${Version}\\n").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals("dpkg-query failed: " + out, 0, p.waitFor());
            out.lines().filter(line -> !line.isEmpty()).forEach(versions::add);
        } catch (IOException e) {
            throw new AssertionError("dpkg-query is required (it is installed in CI): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        assertTrue("dpkg-query listed no package", !versions.isEmpty());
        return versions;
    }

    /** Every version, version_from, version_to and source_version in the existing client's JSON fixtures. */
    public static Set<String> fixtureVersions() throws IOException {
        Path dir = Path.of("../../fixtures/existing-client");
        assertTrue("missing " + dir.toAbsolutePath(), Files.isDirectory(dir));
        Set<String> versions = new TreeSet<>();
        ObjectMapper mapper = new ObjectMapper();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                collect(mapper.readTree(file.toFile()), versions);
            }
        }
        assertTrue("no versions in the fixtures", versions.size() > 100);
        return versions;
    }

    /** Versions of list items only: running_kernel.version is a kernel, not a package version. */
    private static void collect(JsonNode node, Set<String> versions) {
        if (node.isArray()) {
            for (JsonNode item : node) {
                for (String key : List.of("version", "version_from", "version_to", "source_version")) {
                    if (item.path(key).isTextual()) {
                        versions.add(item.get(key).textValue());
                    }
                }
                collect(item, versions);
            }
        } else if (node.isObject()) {
            node.elements().forEachRemaining(child -> collect(child, versions));
        }
    }
}
