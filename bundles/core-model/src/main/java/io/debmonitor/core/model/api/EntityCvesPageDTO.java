package io.debmonitor.core.model.api;

import java.util.Map;

/**
 * One page of a host's or image's CVE tab (CVE.md §11.4): the findings that pass the filter, in
 * the tab's order, each with its explanation; the counts and coverage over all of them.
 *
 * @param counts   §7 over every finding, whatever the filter: {@code affected} (distinct issues in
 *                 the headline), {@code fixable} (distinct issues whose fix APT offers) and
 *                 {@code states} (distinct issues per verdict, or sub-state of an open one; an
 *                 accepted finding counts under {@code ACCEPTED} instead, since 0.6.0; FIXED and
 *                 RUNNING_FIXED, no findings, are not counted, since 0.6.0)
 * @param kernel   for hosts: the kernel as judged; null for images and hosts whose OS is not assessed
 * @param findings the page
 * @since 0.5.0
 */
public record EntityCvesPageDTO(CveCoverageDTO coverage, Counts counts, CveKernelDTO kernel, PageDTO<CveFindingDTO> findings) {

    /** The headline and per-state counts. */
    public record Counts(long affected, long fixable, Map<String, Long> states) {
    }
}
