package io.debmonitor.core.model.api;

import java.util.List;

/**
 * The CVE findings of one host or image, every one of them (the caller filters by visibility), and
 * their coverage.
 *
 * @param kernel for hosts: the kernel as judged; null for images, and for hosts whose OS is not assessed
 * @since 0.4.0
 */
public record EntityCvesDTO(CveCoverageDTO coverage, List<CveFindingDTO> findings, CveKernelDTO kernel) {
}
