package io.debmonitor.core.model.api;

import java.util.List;
import java.util.Map;

/**
 * What the CVE findings of one entity cover (CVE.md §3.1, §9), so that 0 is never read as safe.
 *
 * @param release     the codename, or null when the OS maps to none
 * @param state       {@code covered}, {@code release-not-covered}, {@code release-unknown}, {@code out-of-scope} or {@code no-feed}
 * @param notAssessed per reason ({@code no-entry}, {@code assumed-version}, {@code non-debian-version},
 *                    {@code uncertain-version}, {@code running-kernel-unknown}), the groups (sources) it applies to
 * @param sources     the source groups behind those counts
 * @since 0.4.0
 */
public record CveCoverageDTO(String release, String state, Map<String, Long> notAssessed, List<Source> sources) {

    /** One source group that is not (or not fully) assessed, and why. */
    public record Source(String source, String sourceVersion, String provenance, String reason) {
    }
}
