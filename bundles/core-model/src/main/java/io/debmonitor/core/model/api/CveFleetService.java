package io.debmonitor.core.model.api;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * CVE findings across the fleet (CVE.md §11.2, §11.3, §11.5), read from the findings the refresher
 * stores per entity. They follow reports and imports within the refresher's interval; {@link
 * CveDashboardDTO#pending()} says how many entities wait for it.
 *
 * @since 0.5.0
 */
@ProviderType
public interface CveFleetService {

    /** The sort keys of {@link #issues}: {@code cve}, {@code urgency}, {@code hosts}, {@code images}, {@code fixable}. */
    java.util.Set<String> ISSUE_SORTS = java.util.Set.of("cve", "urgency", "hosts", "images", "fixable");

    /** The sort keys of {@link #findings}: {@code entity}, {@code verdict}, {@code modified}. */
    java.util.Set<String> FINDING_SORTS = java.util.Set.of("entity", "verdict", "modified");

    /**
     * /cves/: one row per issue with at least one visible finding. Default order: fixable desc,
     * urgency desc, cve. The counts lag the stored findings by up to a minute.
     *
     * @throws IllegalArgumentException for an unknown sort key
     */
    PageDTO<CveIssueRowDTO> issues(CveFilter filter, PageRequest page);

    /** @return Debian's words on the issue in the active snapshot; empty when it is not in it */
    Optional<CveIssueDTO> issue(String id);

    /**
     * /cves/{id}: the issue's findings, one per (entity, source), as finding objects. Default
     * order: counted first, then verdict, then entity name.
     *
     * @throws IllegalArgumentException for an unknown sort key
     */
    PageDTO<CveEntityFindingDTO> findings(String id, CveFilter filter, PageRequest page);

    /** The dashboard card (CVE.md §11.5). */
    CveDashboardDTO dashboard();

    /** The dashboard's matrix per kind (urgency → state column → findings): the metric {@code debmonitor_cve_findings}. */
    java.util.Map<EntityKind, java.util.Map<String, java.util.Map<String, Long>>> findingsByKind();
}
