package io.debmonitor.core.model.api;

import java.util.List;
import java.util.Map;

/**
 * One row of /cves/ (CVE.md §11.2).
 *
 * @param sources the sources with a visible finding of the issue
 * @param urgency the highest Debian urgency among them (NVD marks stripped), or null
 * @param hosts   hosts with a visible finding
 * @param images  images with a visible finding
 * @param fixable hosts and images whose APT offers the fix, accepted findings not included
 * @param states  verdict, or sub-state for {@code AFFECTED_OPEN}, → entities; accepted findings count
 *                under {@code ACCEPTED} instead (since 0.6.0)
 * @since 0.5.0
 */
public record CveIssueRowDTO(String cve, List<String> sources, String urgency, long hosts, long images, long fixable,
        Map<String, Long> states) {
}
