package io.debmonitor.core.model.api;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.junit.Test;

public class DebianVersionTest {

    /** The table of SPEC §2.5: a, b, expected sign of compare(a, b). */
    private static final Object[][] CASES = {
        {"1.0~rc1", "1.0", -1}, {"1.0~~", "1.0~", -1}, {"1.0", "1.0a", -1}, {"1.0a", "1.0+dfsg", -1},
        {"1.0+dfsg", "1.0.1", -1}, {"1:0.9", "2.0", 1}, {"0:1.0", "1.0-0", 0}, {"1.9", "1.10", -1},
        {"1.007", "1.7", 0}, {"2.36-9+deb12u4", "2.36-9+deb12u10", -1}, {"3.0.11-1~deb12u2", "3.0.11-1", -1},
        {"1.2-3-4", "1.2-3.4", 1}, {"1.0", "1.0-1", -1}, {"1.0A", "1.0a", -1},
    };

    /** Strings that are no Debian version, and characters no Debian version has. */
    private static final String[] ODD = {"", ":", "-", ":-", "-:", "::", "--", "a:b", "1:", "-1", "~", "1.0-", ":1",
        "99999999999999999999999", "1..2", "é", "1.0é", "1.0\u00ff", "1.0\u007f", "1.0\u0001", "1.0 ", " ", "中文",
        "1.0\ud83d\ude00", "\uffff", "1:\u0080", "0001:0-0", "~~:~-~"};

    @Test
    public void specTableInBothDirections() {
        for (Object[] c : CASES) {
            String a = (String) c[0];
            String b = (String) c[1];
            int expected = (Integer) c[2];
            assertEquals(a + " vs " + b, expected, Integer.signum(DebianVersion.compare(a, b)));
            assertEquals(b + " vs " + a, -expected, Integer.signum(DebianVersion.compare(b, a)));
            assertEquals("sort keys of " + a + " vs " + b, expected, keySign(a, b));
            assertEquals("sort keys of " + b + " vs " + a, -expected, keySign(b, a));
        }
    }

    @Test
    public void oddInputNeverFails() {
        for (String a : ODD) {
            for (String b : ODD) {
                assertEquals(a + " vs " + b, Integer.signum(DebianVersion.compare(a, b)), keySign(a, b));
            }
        }
        assertEquals(0, DebianVersion.compare("", "0"));
        assertEquals(DebianVersion.sortKey("0"), DebianVersion.sortKey(""));
    }

    @Test
    public void orderIsTotalAndBreaksTiesByBytes() {
        List<String> versions = new ArrayList<>(List.of("1.0-0", "1.0", "0:1.0", "1.0~rc1", "1.10", "1.9"));
        versions.sort(DebianVersion.ORDER);
        assertEquals(List.of("1.0~rc1", "0:1.0", "1.0", "1.0-0", "1.9", "1.10"), versions);
    }

    @Test
    public void equalVersionsHaveEqualKeys() {
        for (String[] pair : new String[][] {{"1.0", "1.0-0"}, {"1.007", "1.7"}, {"0:1.0", "1.0"}, {"00:1", "1"},
            {"1.0a0", "1.0a"}, {"1.", "1.0"}, {"", "0-0"}, {"1.2-3-04", "1.2-3-4"}}) {
            assertEquals(pair[0] + " vs " + pair[1], DebianVersion.sortKey(pair[0]), DebianVersion.sortKey(pair[1]));
        }
    }

    /** Keys order exactly as compare() on random versions, their neighbours and the real ones. */
    @Test
    public void sortKeysOrderLikeCompare() throws IOException {
        List<String[]> pairs = generatedPairs(new VersionSamples(1), 20_000);
        pairs.addAll(realPairs(new VersionSamples(2), Integer.MAX_VALUE));
        for (String[] pair : pairs) {
            assertEquals(pair[0] + " vs " + pair[1], Integer.signum(DebianVersion.compare(pair[0], pair[1])),
                    keySign(pair[0], pair[1]));
            assertKeyShape(pair[0]);
        }
    }

    /** Any string, including control and non-ASCII characters and surrogates, gets a key that orders like compare(). */
    @Test
    public void sortKeysOfOddStringsOrderLikeCompare() {
        Random random = new Random(3);
        String alphabet = "0019az.:-~+_ \u0000\u001f\u007f\u0080é\u00ff中\ud83d\ude00\uffff";
        List<String> strings = new ArrayList<>(List.of(ODD));
        for (int i = 0; i < 3000; i++) {
            StringBuilder s = new StringBuilder();
            int length = random.nextInt(16);
            for (int j = 0; j < length; j++) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            strings.add(s.toString());
        }
        for (int i = 0; i < strings.size(); i++) {
            String a = strings.get(i);
            assertKeyShape(a);
            for (String b : List.of(strings.get((i + 1) % strings.size()), strings.get(random.nextInt(strings.size())))) {
                assertEquals(a + " vs " + b, Integer.signum(DebianVersion.compare(a, b)), keySign(a, b));
            }
        }
    }

    /**
     * Printable ASCII versions of up to 255 characters, the worst shapes included (two characters
     * repeated), get keys of at most 2n + 9 characters, so no key of a real version is ever cut.
     */
    @Test
    public void keysOfPrintableVersionsStayBelow600() {
        List<String> versions = new ArrayList<>();
        for (char a = ' '; a < 0x7f; a++) {
            for (char b = ' '; b < 0x7f; b++) {
                versions.add((String.valueOf(a) + b).repeat(128).substring(0, 255));
                versions.add(("1" + a + b).repeat(85));
            }
        }
        versions.add("9".repeat(100) + ":" + "1.".repeat(77));
        versions.add("1:" + "9".repeat(253));
        Random random = new Random(4);
        for (int i = 0; i < 5000; i++) {
            StringBuilder s = new StringBuilder();
            for (int j = 0; j < 255; j++) {
                s.append((char) (' ' + random.nextInt(95)));
            }
            versions.add(s.toString());
        }
        int longest = 0;
        for (String v : versions) {
            int length = assertKeyShape(v);
            assertTrue(v + " has a key of " + length + " characters", length <= 2 * v.length() + 9 && length < 600);
            longest = Math.max(longest, length);
        }
        assertTrue("the worst case was not reached: " + longest, longest >= 500);
    }

    /** Keys that have to be cut (only control and non-ASCII characters need that) keep the order, but may tie. */
    @Test
    public void cutKeysNeverReverseTheOrder() {
        Random random = new Random(5);
        String alphabet = "1.~a\u0001é中\ud83d\ude00";
        List<String> versions = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            StringBuilder s = new StringBuilder("1.0");
            while (s.length() < 250) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            versions.add(s.toString());
            versions.add(s.substring(0, 200) + "é".repeat(20));
        }
        int cut = 0;
        for (int i = 0; i < versions.size(); i++) {
            String a = versions.get(i);
            String b = versions.get((i + 1) % versions.size());
            int length = assertKeyShape(a);
            cut += length == 599 ? 1 : 0;
            int keys = keySign(a, b);
            assertTrue(a + " vs " + b, keys == 0 || keys == Integer.signum(DebianVersion.compare(a, b)));
        }
        assertTrue("no key was cut", cut > 100);
    }

    /**
     * compare() and the sort keys against the real {@code dpkg --compare-versions}, on a few
     * thousand pairs: generated ones and the versions installed here and in the fixtures. dpkg is
     * required: it is installed wherever the tests run, CI included.
     */
    @Test
    public void agreesWithDpkg() throws Exception {
        List<String[]> pairs = generatedPairs(new VersionSamples(6), 1500);
        pairs.addAll(realPairs(new VersionSamples(7), 600));
        int[] dpkg = dpkgSigns(pairs);
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            String a = pairs.get(i)[0];
            String b = pairs.get(i)[1];
            int compare = Integer.signum(DebianVersion.compare(a, b));
            int keys = keySign(a, b);
            if (dpkg[i] != compare || dpkg[i] != keys) {
                mismatches.add(a + " vs " + b + ": dpkg " + dpkg[i] + ", compare " + compare + ", sort keys " + keys);
            }
        }
        if (!mismatches.isEmpty()) {
            fail(mismatches.size() + " of " + pairs.size() + " pairs disagree with dpkg, e.g.\n"
                    + String.join("\n", mismatches.subList(0, Math.min(20, mismatches.size()))));
        }
        long equal = java.util.Arrays.stream(dpkg).filter(sign -> sign == 0).count();
        assertTrue("too few dpkg-equal pairs: " + equal, equal > 100);
    }

    // --- helpers ------------------------------------------------------------------------------

    private static int keySign(String a, String b) {
        return Integer.signum(DebianVersion.sortKey(a).compareTo(DebianVersion.sortKey(b)));
    }

    /** Checks the key is printable ASCII without space and below 600 characters; returns its length. */
    private static int assertKeyShape(String version) {
        String key = DebianVersion.sortKey(version);
        assertTrue(version + " -> " + key, key.length() < 600 && key.chars().allMatch(c -> c > ' ' && c < 0x7f));
        return key.length();
    }

    /** One third independent pairs, two thirds a version and a neighbour of it. */
    private static List<String[]> generatedPairs(VersionSamples samples, int count) {
        List<String[]> pairs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String a = samples.version();
            pairs.add(new String[] {a, i % 3 == 0 ? samples.version() : samples.neighbour(a)});
        }
        return pairs;
    }

    /**
     * Real versions: up to {@code limit} pairs of neighbours in byte order (same package, most
     * often), and as many of a real version and a generated neighbour of it.
     */
    private static List<String[]> realPairs(VersionSamples samples, int limit) throws IOException {
        Set<String> set = new TreeSet<>(VersionSamples.installedVersions());
        set.addAll(VersionSamples.fixtureVersions());
        List<String> real = new ArrayList<>(set);
        int step = Math.max(1, real.size() / limit);
        List<String[]> pairs = new ArrayList<>();
        for (int i = 0; i + 1 < real.size(); i += step) {
            pairs.add(new String[] {real.get(i), real.get(i + 1)});
            pairs.add(new String[] {real.get(i), samples.neighbour(real.get(i))});
        }
        return pairs;
    }

    /**
     * dpkg's sign for each pair. Two shell loops (one per core) each read half of the pairs and
     * run dpkg once per comparison: {@code lt} first, {@code eq} only when that is false.
     */
    private static int[] dpkgSigns(List<String[]> pairs) throws IOException, InterruptedException {
        try {
            Process version = new ProcessBuilder("dpkg", "--version").redirectErrorStream(true).start();
            version.getInputStream().readAllBytes();
            assertEquals("dpkg --version failed", 0, version.waitFor());
        } catch (IOException e) {
            throw new AssertionError("dpkg is required for this test (CI has it): " + e.getMessage(), e);
        }
        String loop = "while read -r a b; do\n"
                + "  if dpkg --compare-versions \"$a\" lt \"$b\" 2>/dev/null; then echo -1\n"
                + "  elif [ $? -ne 1 ]; then echo error\n"
                + "  elif dpkg --compare-versions \"$a\" eq \"$b\" 2>/dev/null; then echo 0\n"
                + "  elif [ $? -ne 1 ]; then echo error\n"
                + "  else echo 1\n"
                + "  fi\n"
                + "done\n";
        int half = pairs.size() / 2;
        List<List<String[]>> parts = List.of(pairs.subList(0, half), pairs.subList(half, pairs.size()));
        List<Process> processes = new ArrayList<>();
        List<Path> inputs = new ArrayList<>();
        try {
            for (List<String[]> part : parts) {
                Path input = Files.createTempFile("dpkg-pairs", ".txt");
                inputs.add(input);
                StringBuilder lines = new StringBuilder();
                part.forEach(pair -> lines.append(pair[0]).append(' ').append(pair[1]).append('\n'));
                Files.writeString(input, lines, StandardCharsets.UTF_8);
                processes.add(new ProcessBuilder("sh", "-c", loop).redirectInput(input.toFile())
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start());
            }
            int[] signs = new int[pairs.size()];
            int at = 0;
            for (int p = 0; p < processes.size(); p++) {
                List<String> lines = new String(processes.get(p).getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                        .lines().toList();
                assertEquals("the dpkg loop exited with an error", 0, processes.get(p).waitFor());
                assertEquals("answers from dpkg", parts.get(p).size(), lines.size());
                for (int i = 0; i < lines.size(); i++, at++) {
                    if (lines.get(i).equals("error")) {
                        fail("dpkg refused " + pairs.get(at)[0] + " or " + pairs.get(at)[1]);
                    }
                    signs[at] = Integer.parseInt(lines.get(i));
                }
            }
            return signs;
        } finally {
            processes.forEach(Process::destroy);
            for (Path input : inputs) {
                Files.deleteIfExists(input);
            }
        }
    }
}
