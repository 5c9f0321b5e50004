package io.debmonitor.core.model.api;

import java.time.Instant;
import java.util.List;

/**
 * One issue of one source package on one host or image (CVE.md §11.1): the verdict on the group's
 * effective source version, with the per-entity overlays (fix availability §5, kernel §6) and the
 * explanation record (§8).
 *
 * @param release              the codename the entity's OS maps to
 * @param binaries             the group's rows, each with its effective source version and provenance
 * @param sourceVersion        the group's effective version (the minimum, §3.3)
 * @param provenance           the weakest row's: {@code assumed}, {@code sibling}, {@code binnmu-stripped}, {@code reported}
 * @param baseVerdict          §4's result
 * @param verdict              after §6 (kernel on hosts, headers in images)
 * @param subState             for {@link CveVerdict#AFFECTED_OPEN}, else null
 * @param counted              part of the headline count (§7)
 * @param fix                  {@code available}, {@code not_offered}, {@code other_suite} or null
 * @param candidate            the best upgrade candidate of the group, or null
 * @param urgency              Debian's urgency without the NVD marks, or null
 * @param nvdDerived           the urgency came from NVD ({@code *} or {@code **})
 * @param advisory             the DSA or DLA that fixed this issue in this release, from the imported advisory lists, or null (since 0.6.0)
 * @param accepted             the exception that accepts this finding, or null (since 0.6.0)
 * @param explanation          the lines of §8, in order: state, urgency, installed, rule, elsewhere, upgrade, advisory, data, links
 * @param firstSeen            when the refresher first recorded this finding, or null before it has (since 0.5.0)
 * @param events               its CVE history (CVE.md §10), oldest first (since 0.5.0)
 * @since 0.4.0
 */
public record CveFindingDTO(String cve, String source, String release, List<Binary> binaries, String sourceVersion, String provenance,
        CveVerdict baseVerdict, CveVerdict verdict, CveSubState subState, boolean counted, String fix, Candidate candidate,
        String fixedVersion, String unstableFixedVersion, String urgency, boolean nvdDerived, String scope, String nodsa,
        String nodsaReason, boolean nextPointUpdate, String advisory, Accepted accepted, Explanation explanation, Instant firstSeen,
        List<Event> events) {

    /** @return this finding with its recorded history */
    public CveFindingDTO withHistory(Instant firstSeen, List<Event> events) {
        return new CveFindingDTO(cve, source, release, binaries, sourceVersion, provenance, baseVerdict, verdict, subState, counted, fix,
                candidate, fixedVersion, unstableFixedVersion, urgency, nvdDerived, scope, nodsa, nodsaReason, nextPointUpdate, advisory, accepted,
                explanation, firstSeen, List.copyOf(events));
    }

    /**
     * @return this finding as an exception accepts it (CVE.md §7, §10): the same verdict, no longer
     *         counted in the headline
     * @since 0.6.0
     */
    public CveFindingDTO withAccepted(Accepted by) {
        return new CveFindingDTO(cve, source, release, binaries, sourceVersion, provenance, baseVerdict, verdict, subState, false, fix,
                candidate, fixedVersion, unstableFixedVersion, urgency, nvdDerived, scope, nodsa, nodsaReason, nextPointUpdate, advisory, by,
                explanation, firstSeen, events);
    }

    /**
     * An exception accepting the finding (CVE.md §10): it stays listed, as accepted, outside the headline.
     *
     * @param expires when it lapses by itself, or null for never
     * @since 0.6.0
     */
    public record Accepted(long id, String reason, String by, Instant created, Instant expires) {
    }

    /**
     * One change of the finding: {@code new}, {@code fix_released}, {@code state_changed} or
     * {@code fixed}; the verdicts are the verdict or, for {@code AFFECTED_OPEN}, the sub-state.
     *
     * @since 0.5.0
     */
    public record Event(Instant at, String event, String before, String after) {
    }

    /** One binary row of the group. */
    public record Binary(String name, String version, String sourceVersion, String provenance) {
    }

    /** An upgrade the entity's APT offers for a binary of the group. */
    public record Candidate(String name, String versionTo, String sourceVersion, String type) {
    }

    /** §8, one sentence per line; {@code elsewhere}, {@code upgrade} and {@code advisory} may be null. */
    public record Explanation(String state, String urgency, String installed, String rule, String elsewhere, String upgrade, String advisory,
            String data, List<String> links) {
    }
}
