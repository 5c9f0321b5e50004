package io.debmonitor.core.model.api;

import java.util.List;

/**
 * The CVE findings of one host or image, every one of them (the caller filters by visibility), and
 * their coverage.
 *
 * @param kernel for hosts: the running kernel's version as judged ({@code null} when unknown or for images)
 * @since 0.4.0
 */
public record EntityCvesDTO(CveCoverageDTO coverage, List<CveFindingDTO> findings, String kernel) {
}
