package io.debmonitor.core.model.api;

import java.util.List;
import java.util.Map;

/**
 * What Debian's tracker says of one issue in the active snapshot (CVE.md §11.3).
 *
 * @param links  the tracker pages of the issue and of each source
 * @param debian one item per (source, release), sources then releases in name order
 * @since 0.5.0
 */
public record CveIssueDTO(String cve, String description, String scope, Long debianbug, List<String> links, List<Debian> debian) {

    /** One (source, release) row of the feed, verbatim. */
    public record Debian(String source, String release, String status, String fixedVersion, String urgency, String nodsa,
            String nodsaReason, boolean nextPointUpdate, Map<String, String> repositories) {
    }
}
