package io.debmonitor.core.model.api;

/**
 * The tracker's side files besides the feed (CVE.md §1.5, §1.7).
 *
 * @since 0.6.0
 */
public enum CveListKind {
    /** {@code data/DSA/list}: the Debian Security Advisories, which label findings of supported releases. */
    DSA,
    /** {@code data/DLA/list}: the Debian LTS Advisories, which label findings of LTS releases. */
    DLA,
    /** {@code distributions.json}: codename → Debian major version, which maps {@code Debian NN} to a release. */
    DISTRIBUTIONS;

    /** @return the lower-case word used in messages, options and form fields ({@code dsa}, {@code dla}, {@code distributions}) */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
