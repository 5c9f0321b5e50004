package io.debmonitor.core.model.api;

/**
 * One step of a garbage collection run.
 *
 * @param type  what the step deletes, plural: {@code images}, {@code hosts},
 *              {@code package versions}, {@code packages}, {@code source package versions},
 *              {@code source packages}, {@code kernels}
 * @param count how many it deleted (or, in a dry run, would delete)
 * @param rows  for images and hosts, how many of their package rows went with them; 0 otherwise
 * @since 0.2.0
 */
public record GcStepDTO(String type, long count, long rows) {
}
