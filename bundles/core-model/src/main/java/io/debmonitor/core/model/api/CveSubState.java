package io.debmonitor.core.model.api;

/**
 * Why an {@link CveVerdict#AFFECTED_OPEN} issue has no fix, in Debian's terms (CVE.md §4), first
 * match wins in this order.
 *
 * @since 0.4.0
 */
public enum CveSubState {
    /** The fix waits in proposed-updates for the next point release. */
    FIX_QUEUED_POINT_RELEASE,
    /** {@code <ignored>}: no update will be provided. */
    WONT_FIX,
    /** {@code <postponed>}: deserves an update, not an advisory of its own. */
    FIX_DEFERRED,
    /** {@code <no-dsa>}: minor; may come with a point release. */
    NO_DSA_MINOR,
    /** The package is no longer security-supported in the release. */
    UNSUPPORTED,
    /** Urgency unimportant: hidden by default, never counted. */
    NEGLIGIBLE,
    /** No fix yet. */
    NO_FIX_YET
}
