package io.debmonitor.core.model.api;

import java.util.Set;

/**
 * Filters of the fleet CVE tables (CVE.md §11.2, §11.3).
 *
 * @param q       /cves/: case-insensitive substring of the issue id or a source name; /cves/{id}:
 *                of the entity name; or null
 * @param urgency Debian's urgency without NVD marks (e.g. {@code high}), or null
 * @param state   a verdict or sub-state token, {@value #ACCEPTED} for accepted findings (since 0.6.0), or null
 * @param os      exact OS name, or null
 * @param kind    hosts or images only, or null for both
 * @param include what the default view hides and this adds: {@code negligible}, {@code not-affected},
 *                {@code headers}, or {@code all}; never null
 * @since 0.5.0
 */
public record CveFilter(String q, String urgency, String state, String os, EntityKind kind, Set<String> include) {

    /** The default view. */
    public static final CveFilter DEFAULT = new CveFilter(null, null, null, null, null, Set.of());

    public CveFilter {
        include = Set.copyOf(include);
    }

    /** §7: the default view hides negligible, not affected and kernel headers in images. */
    public boolean visible(CveVerdict verdict, CveSubState subState) {
        if (include.contains("all")) {
            return true;
        }
        return switch (verdict) {
            case NOT_AFFECTED -> include.contains("not-affected");
            case KERNEL_HEADERS_ONLY -> include.contains("headers");
            case FIXED, RUNNING_FIXED -> include.contains("fixed");
            case AFFECTED_OPEN -> subState != CveSubState.NEGLIGIBLE || include.contains("negligible");
            default -> true;
        };
    }

    /**
     * The state token of accepted findings (CVE.md §7, §10): they keep their verdict, and are shown
     * in a state column of their own.
     *
     * @since 0.6.0
     */
    public static final String ACCEPTED = "ACCEPTED";

    /** @return true when {@code state} is unset or names the verdict or the sub-state */
    public boolean inState(CveVerdict verdict, CveSubState subState) {
        return state == null || verdict.name().equals(state) || (subState != null && subState.name().equals(state));
    }

    /**
     * As the state counts count (an accepted finding is in state {@value #ACCEPTED}, not in its verdict's).
     *
     * @param accepted an exception accepts the finding
     * @return true when {@code state} is unset, is {@value #ACCEPTED} and the finding is accepted, or
     *         names the verdict or the sub-state of a finding that is not accepted
     * @since 0.6.0
     */
    public boolean inState(CveVerdict verdict, CveSubState subState, boolean accepted) {
        if (ACCEPTED.equals(state)) {
            return accepted;
        }
        return state == null || (!accepted && inState(verdict, subState));
    }
}
