package io.debmonitor.core.model.api;

import java.util.Set;

/**
 * Filters of the fleet CVE tables (CVE.md §11.2, §11.3).
 *
 * @param q       /cves/: case-insensitive substring of the issue id or a source name; /cves/{id}:
 *                of the entity name; or null
 * @param urgency Debian's urgency without NVD marks (e.g. {@code high}), or null
 * @param state   a verdict or sub-state token, or null
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

    /** @return true when {@code state} is unset or names the verdict or the sub-state */
    public boolean inState(CveVerdict verdict, CveSubState subState) {
        return state == null || verdict.name().equals(state) || (subState != null && subState.name().equals(state));
    }
}
