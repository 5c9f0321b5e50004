package io.debmonitor.core.model.api;

/**
 * A finding of /cves/{id} with the host or image it is on.
 *
 * @since 0.5.0
 */
public record CveEntityFindingDTO(EntityDTO entity, CveFindingDTO finding) {
}
