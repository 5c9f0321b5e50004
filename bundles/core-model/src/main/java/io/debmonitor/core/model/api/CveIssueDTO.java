package io.debmonitor.core.model.api;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What Debian's tracker says of one issue in the active snapshot (CVE.md §11.3).
 *
 * @param links  the tracker pages of the issue and of each source
 * @param debian one item per (source, release), sources then releases in name order
 * @since 0.5.0
 */
public record CveIssueDTO(String cve, String description, String scope, Long debianbug, List<String> links, List<Debian> debian) {

    /**
     * A tracker issue name (CVE.md §1.1), case-sensitive: {@code CVE-YYYY-NNNN…} or {@code TEMP-…}.
     *
     * @since 0.6.0
     */
    public static final Pattern ID = Pattern.compile("^(CVE-[0-9]{4}-[0-9]{4,}|TEMP-[0-9A-Za-z-]+)$");

    /**
     * One (source, release) row of the feed, verbatim.
     *
     * @param advisory the DSA or DLA that fixed the issue for this source in this release, from the
     *                 imported advisory lists, or null (since 0.6.0)
     */
    public record Debian(String source, String release, String status, String fixedVersion, String urgency, String nodsa,
            String nodsaReason, boolean nextPointUpdate, Map<String, String> repositories, String advisory) {

        /** A row without an advisory label. */
        public Debian(String source, String release, String status, String fixedVersion, String urgency, String nodsa,
                String nodsaReason, boolean nextPointUpdate, Map<String, String> repositories) {
            this(source, release, status, fixedVersion, urgency, nodsa, nodsaReason, nextPointUpdate, repositories, null);
        }
    }
}
