package io.debmonitor.core.model.api;

import java.util.Map;

/**
 * The dashboard's vulnerabilities card (CVE.md §11.5). Counts are distinct (entity, issue) pairs.
 *
 * @param matrix            urgency → state column → findings; the columns: {@code fix_available} (with
 *                          reboots into an installed fixed kernel),
 *                          {@code fix_not_offered}, {@code no_fix_yet}, {@code deferred},
 *                          {@code wont_fix}, {@code minor}, {@code point_release}, {@code unsupported},
 *                          {@code negligible}, {@code needs_triage}, and {@code accepted} (findings
 *                          an exception accepts, whatever their state; since 0.6.0)
 * @param fixableHighHosts  hosts with a fixable finding of urgency high
 * @param fixableHighImages images with one
 * @param rebootRequired    hosts with a {@code REBOOT_REQUIRED} finding
 * @param notCovered        entities whose release the feed does not cover, or that are out of scope
 * @param notAssessed       sources not assessed on covered entities, summed over the fleet
 * @param pending           entities whose findings wait for the refresher
 * @param feed              the active snapshot, or null before the first import
 * @param ageSeconds        seconds since the active snapshot was imported, or null
 * @param stale             the active snapshot is older than {@code cve.maxAgeHours}, or there is none
 * @since 0.5.0
 */
public record CveDashboardDTO(Map<String, Map<String, Long>> matrix, long fixableHighHosts, long fixableHighImages, long rebootRequired,
        long notCovered, long notAssessed, long pending, CveSnapshotDTO feed, Long ageSeconds, boolean stale) {
}
