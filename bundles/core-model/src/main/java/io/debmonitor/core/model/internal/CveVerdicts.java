package io.debmonitor.core.model.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.debmonitor.core.model.api.CveSubState;
import io.debmonitor.core.model.api.CveVerdict;
import io.debmonitor.core.model.api.DebianVersion;

/**
 * The verdict function of CVE.md §4 and the source-version normalisation of §3.2–§3.4, as pure
 * functions of feed rows and package rows. Versions compare with {@link DebianVersion}, the one
 * dpkg ordering.
 */
final class CveVerdicts {

    private static final Pattern BINNMU = Pattern.compile("^(.+)\\+b[0-9]+$");
    private static final Pattern EPOCH = Pattern.compile("^([0-9]{1,9}):");

    private CveVerdicts() {
    }

    /**
     * @param verdict              §4's result
     * @param subState             set for {@link CveVerdict#AFFECTED_OPEN} only
     * @param fixedVersion         the release's fixed version, or null
     * @param unstableFixedVersion the unstable (sid) fix, or null
     */
    record Result(CveVerdict verdict, CveSubState subState, String fixedVersion, String unstableFixedVersion) {
    }

    /**
     * @param entry     the feed row of (release, source, issue), or null when there is none
     * @param sid       the feed row of (sid, source, issue), or null
     * @param version   the group's effective source version (§3.3)
     * @param epochLost whether {@link #epochLost} holds for the version against the release (§3.4)
     */
    static Result verdict(CveFeedReader.Entry entry, CveFeedReader.Entry sid, String version, boolean epochLost) {
        if (entry == null) {
            return new Result(CveVerdict.NONE, null, null, null);
        }
        boolean resolved = "resolved".equals(entry.status());
        String fixed = resolved ? entry.fixedVersion() : null;
        String unstable = sid != null && "resolved".equals(sid.status()) && sid.fixedVersion() != null && !"0".equals(sid.fixedVersion())
                ? sid.fixedVersion() : null;
        if ("undetermined".equals(entry.status())) {
            return new Result(CveVerdict.NEEDS_TRIAGE, null, null, unstable);
        }
        if (resolved && "0".equals(fixed)) {
            return new Result(CveVerdict.NOT_AFFECTED, null, fixed, unstable);
        }
        if (!validVersion(version) || epochLost) {
            return new Result(CveVerdict.UNCERTAIN_VERSION, null, fixed, unstable);
        }
        if (resolved && fixed != null) {
            return new Result(DebianVersion.compare(version, fixed) < 0 ? CveVerdict.AFFECTED_FIXED : CveVerdict.FIXED, null, fixed, unstable);
        }
        if (unstable != null && DebianVersion.compare(version, unstable) >= 0) {
            return new Result(CveVerdict.LIKELY_FIXED_NEWER, null, null, unstable);
        }
        return new Result(CveVerdict.AFFECTED_OPEN, subState(entry), null, unstable);
    }

    private static CveSubState subState(CveFeedReader.Entry entry) {
        if (entry.nextPointUpdate()) {
            return CveSubState.FIX_QUEUED_POINT_RELEASE;
        }
        if ("ignored".equals(entry.nodsaReason())) {
            return CveSubState.WONT_FIX;
        }
        if ("postponed".equals(entry.nodsaReason())) {
            return CveSubState.FIX_DEFERRED;
        }
        if (entry.nodsa() != null || entry.nodsaReason() != null) {
            return CveSubState.NO_DSA_MINOR;
        }
        String urgency = entry.urgency() == null ? "" : entry.urgency();
        if (urgency.equals("end-of-life")) {
            return CveSubState.UNSUPPORTED;
        }
        if (urgency.replace("*", "").equals("unimportant")) {
            return CveSubState.NEGLIGIBLE;
        }
        return CveSubState.NO_FIX_YET;
    }

    /** Debian policy: not empty, and the upstream part (after any epoch) starts with a digit. */
    static boolean validVersion(String version) {
        if (version == null || version.isEmpty()) {
            return false;
        }
        Matcher epoch = EPOCH.matcher(version);
        String upstream = epoch.find() ? version.substring(epoch.end()) : version;
        return !upstream.isEmpty() && Character.isDigit(upstream.charAt(0));
    }

    /**
     * §3.4: the version has no epoch while every version Debian lists for the source in the release
     * (repositories and fixed versions, "0" left out) has one of at least 1: the input lost it.
     */
    static boolean epochLost(String version, Collection<String> debianVersions) {
        if (version == null || EPOCH.matcher(version).find()) {
            return false;
        }
        boolean any = false;
        for (String listed : debianVersions) {
            if (listed == null || listed.equals("0")) {
                continue;
            }
            Matcher epoch = EPOCH.matcher(listed);
            if (!epoch.find() || Long.parseLong(epoch.group(1)) < 1) {
                return false;
            }
            any = true;
        }
        return any;
    }

    /** How a row's source version was found (§3.2), weakest first. */
    enum Provenance {
        ASSUMED, SIBLING, BINNMU_STRIPPED, REPORTED;

        /** @return the JSON form, e.g. {@code binnmu-stripped} */
        String token() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * One binary row of an entity, as stored.
     *
     * @param sourceVersion the stored source version
     * @param reported      whether that came from a reported {@code source_version}
     */
    record Row(String binary, String version, String source, String sourceVersion, boolean reported) {
    }

    /** A row's effective source version; {@code from} names the sibling binary it was taken from. */
    record Effective(Row row, String version, Provenance provenance, String from) {
    }

    /** §3.2 for the rows of one source on one entity, in their order. */
    static List<Effective> effective(List<Row> group) {
        Map<Row, Effective> direct = new HashMap<>();
        for (Row row : group) {
            if (row.reported() && row.sourceVersion() != null) {
                direct.put(row, new Effective(row, row.sourceVersion(), Provenance.REPORTED, null));
            } else {
                String stored = row.sourceVersion() == null ? row.version() : row.sourceVersion();
                Matcher binnmu = BINNMU.matcher(stored);
                if (stored.equals(row.version()) && binnmu.matches()) {
                    direct.put(row, new Effective(row, binnmu.group(1), Provenance.BINNMU_STRIPPED, null));
                }
            }
        }
        List<Effective> out = new ArrayList<>();
        for (Row row : group) {
            Effective known = direct.get(row);
            if (known != null) {
                out.add(known);
                continue;
            }
            Effective sibling = null;
            if (!row.binary().equals(row.source())) {
                for (Row other : group) {
                    if (other == row) {
                        continue;
                    }
                    Effective candidate = direct.get(other);
                    String s = candidate != null ? candidate.version() : other.version();
                    if (s.equals(row.version())) {
                        continue;
                    }
                    if (candidate != null || builtInside(row.version(), s)) {
                        sibling = new Effective(row, s, Provenance.SIBLING, other.binary());
                        break;
                    }
                }
            }
            out.add(sibling != null ? sibling : new Effective(row, row.version(), Provenance.ASSUMED, null));
        }
        return out;
    }

    /** §3.2 (b): the binary's version, epoch removed, ends with {@code +<letters>} and the source's version, epoch removed. */
    private static boolean builtInside(String binaryVersion, String sourceVersion) {
        String binary = EPOCH.matcher(binaryVersion).replaceFirst("");
        String source = EPOCH.matcher(sourceVersion).replaceFirst("");
        if (!binary.endsWith(source) || binary.length() == source.length()) {
            return false;
        }
        String head = binary.substring(0, binary.length() - source.length());
        int plus = head.lastIndexOf('+');
        return plus >= 0 && plus < head.length() - 1 && head.substring(plus + 1).chars().allMatch(Character::isLetter);
    }

    /** §3.3: the minimum effective version of a group (dpkg order), conservative. */
    static String groupVersion(List<Effective> rows) {
        return rows.stream().map(Effective::version).min(DebianVersion::compare).orElseThrow();
    }

    /** §11.1: a group's provenance is its weakest row's. */
    static Provenance groupProvenance(List<Effective> rows) {
        return rows.stream().map(Effective::provenance).min(Enum::compareTo).orElseThrow();
    }
}
