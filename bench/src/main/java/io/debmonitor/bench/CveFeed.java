package io.debmonitor.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Writes a Debian Security Tracker feed for the bench fleet's package universe (issue #12): the
 * shapes of fixtures/cve/dst-fixture.json (resolved above or below the installed version, open with
 * each kind of no-DSA reason, unimportant, undetermined, "0") replicated over the universe's source
 * packages until the feed holds the requested number of (source, issue) entries. Each entry has a
 * row for bullseye, bookworm and trixie (relative to the version the fleet installs on that
 * release) and one for sid. Mostly "resolved below the installed version", as in the real feed.
 *
 * <p>Usage: {@code java -cp ... io.debmonitor.bench.CveFeed OUT [ENTRIES] [SEED] [UNIVERSE]}
 * (defaults 50000, and run.sh's seed 1 and universe 5000).
 */
public final class CveFeed {

    /** The Debian releases of {@link OsRelease#ALL}, by index, and their codenames. */
    private static final String[][] RELEASES = {{"Debian 11", "bullseye"}, {"Debian 12", "bookworm"}, {"Debian 13", "trixie"}};

    /** Per mille of entries of each shape; the rest are resolved below the installed version (fixed). */
    private enum Shape {
        AFFECTED(10), NEGLIGIBLE(12), NO_DSA(6), POSTPONED(2), IGNORED(2), NO_FIX_YET(2), UNDETERMINED(2), NOT_AFFECTED(4);

        final int perMille;

        Shape(int perMille) {
            this.perMille = perMille;
        }
    }

    private CveFeed() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        int entries = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        int universeSize = args.length > 3 ? Integer.parseInt(args[3]) : 5000;
        PackageUniverse universe = new PackageUniverse(seed, universeSize, OsRelease.ALL);
        List<PackageUniverse.Source> sources = universe.sources;
        int perSource = (entries + sources.size() - 1) / sources.size();
        int[] releaseIndex = new int[RELEASES.length];
        for (int r = 0; r < RELEASES.length; r++) {
            for (int os = 0; os < OsRelease.ALL.size(); os++) {
                if (OsRelease.ALL.get(os).name().equals(RELEASES[r][0])) {
                    releaseIndex[r] = os;
                }
            }
        }
        Random random = new Random(seed);
        int written = 0;
        int issue = 0;
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            w.write("{");
            boolean firstSource = true;
            for (PackageUniverse.Source source : sources) {
                if (written >= entries) {
                    break;
                }
                w.write(firstSource ? "\n" : ",\n");
                firstSource = false;
                w.write(quote(source.name) + ": {");
                for (int k = 0; k < perSource && written < entries; k++, written++) {
                    String id = String.format("CVE-2090-%06d", ++issue);
                    Shape shape = shape(random);
                    String urgency = shape == Shape.NEGLIGIBLE ? "unimportant" : List.of("low", "medium", "high", "not yet assigned").get(random.nextInt(4));
                    w.write((k == 0 ? "\n  " : ",\n  ") + quote(id) + ": {\"description\": \"Synthetic issue " + id + " in " + source.name
                            + "\", \"scope\": \"remote\", \"debianbug\": " + (100000 + issue) + ", \"releases\": {");
                    String sidFix = null;
                    for (int r = 0; r < RELEASES.length; r++) {
                        String installed = source.versions[releaseIndex[r]];
                        String upgrade = source.upgrades[releaseIndex[r]];
                        String row = row(shape, installed, upgrade, urgency, RELEASES[r][1]);
                        w.write((r == 0 ? "" : ", ") + quote(RELEASES[r][1]) + ": " + row);
                        sidFix = installed + "+fix1";
                    }
                    String sid = shape == Shape.UNDETERMINED ? row(shape, sidFix, null, urgency, "sid")
                            : shape == Shape.NOT_AFFECTED ? row(shape, sidFix, null, urgency, "sid")
                            : "{\"status\": \"resolved\", \"repositories\": {\"sid\": " + quote(sidFix) + "}, \"fixed_version\": " + quote(sidFix)
                                    + ", \"urgency\": " + quote(urgency) + "}";
                    w.write(", \"sid\": " + sid + "}}");
                }
                w.write("}");
            }
            w.write("\n}\n");
        }
        System.out.println(written + " (source, issue) entries over " + Math.min(sources.size(), (written + perSource - 1) / perSource)
                + " sources, " + (RELEASES.length + 1) + " releases each: " + out);
    }

    private static Shape shape(Random random) {
        int draw = random.nextInt(1000);
        for (Shape shape : Shape.values()) {
            if (draw < shape.perMille) {
                return shape;
            }
            draw -= shape.perMille;
        }
        return null;
    }

    /** One release row; a null shape is resolved below the installed version. */
    private static String row(Shape shape, String installed, String upgrade, String urgency, String codename) {
        String repositories = "{" + quote(codename) + ": " + quote(installed) + "}";
        String head = "{\"repositories\": " + repositories + ", \"urgency\": " + quote(urgency) + ", ";
        if (shape == null) {
            return head + "\"status\": \"resolved\", \"fixed_version\": " + quote(installed + "~old") + "}";
        }
        return head + switch (shape) {
            // Fixed in the pending upgrade when there is one (fix available), else in a newer version nobody offers.
            case AFFECTED -> "\"status\": \"resolved\", \"fixed_version\": " + quote(upgrade != null ? upgrade : installed + "+fix1") + "}";
            case NEGLIGIBLE, NO_FIX_YET -> "\"status\": \"open\"}";
            case NO_DSA -> "\"status\": \"open\", \"nodsa\": \"Minor issue\", \"nodsa_reason\": \"\"}";
            case POSTPONED -> "\"status\": \"open\", \"nodsa\": \"Minor issue; can be fixed in next update\", \"nodsa_reason\": \"postponed\"}";
            case IGNORED -> "\"status\": \"open\", \"nodsa\": \"Intrusive to backport\", \"nodsa_reason\": \"ignored\"}";
            case UNDETERMINED -> "\"status\": \"undetermined\"}";
            case NOT_AFFECTED -> "\"status\": \"resolved\", \"fixed_version\": \"0\"}";
        };
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder();
        Json.string(out, s);
        return out.toString();
    }
}
