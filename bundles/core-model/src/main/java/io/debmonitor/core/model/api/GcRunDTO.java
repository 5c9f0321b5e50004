package io.debmonitor.core.model.api;

import java.time.Instant;
import java.util.List;

/**
 * One garbage collection run.
 *
 * @param dryRun   true when nothing was deleted and the counts say what would be
 * @param started  when the run started (UTC)
 * @param finished when it finished (UTC)
 * @param steps    the steps of SPEC §2.8 in order, each with its count
 * @since 0.2.0
 */
public record GcRunDTO(boolean dryRun, Instant started, Instant finished, List<GcStepDTO> steps) {

    public GcRunDTO {
        steps = List.copyOf(steps);
    }
}
