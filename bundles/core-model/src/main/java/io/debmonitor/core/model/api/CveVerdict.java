package io.debmonitor.core.model.api;

/**
 * The verdict on one (release, source, source version, issue) against the Debian Security
 * Tracker feed (CVE.md §4), and the kernel and image verdicts that replace it per entity (§6).
 * Tokens on pages and in JSON are these names.
 *
 * @since 0.4.0
 */
public enum CveVerdict {
    /** The issue has no entry for the source in the release: no finding. */
    NONE,
    /** Debian has not determined whether the release is affected: shown, not counted. */
    NEEDS_TRIAGE,
    /** Debian says the release was never vulnerable (fixed version "0"). */
    NOT_AFFECTED,
    /** The version cannot be judged: not a Debian version, or it lost its epoch (§3.4). */
    UNCERTAIN_VERSION,
    /** Below the release's fixed version. */
    AFFECTED_FIXED,
    /** At or above the release's fixed version: no finding. */
    FIXED,
    /** The release is open, but the version is at or above the unstable fix (a backport): needs review. */
    LIKELY_FIXED_NEWER,
    /** The release has no fix; see the sub-state. */
    AFFECTED_OPEN,
    /** A host's running kernel is below the fixed version, and so is every installed kernel image. */
    RUNNING_AFFECTED,
    /** A host's running kernel is below the fixed version, but an installed kernel image is not: reboot. */
    REBOOT_REQUIRED,
    /** A host's running kernel is at or above the fixed version: no finding. */
    RUNNING_FIXED,
    /** A kernel finding in an image, which runs its host's kernel: listed, never counted. */
    KERNEL_HEADERS_ONLY
}
