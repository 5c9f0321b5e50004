package io.debmonitor.core.model.api;

import java.time.LocalDate;
import java.util.List;

/**
 * How many hosts (or images) had each version of one binary package installed at the end of each
 * day (UTC), from history.
 *
 * @param packageName the binary package
 * @param kind        hosts or images
 * @param versions    every version counted on some day, in dpkg order (oldest first)
 * @param days        oldest first; the last is today, counted now
 * @since 0.4.0
 */
public record RolloutDTO(String packageName, EntityKind kind, List<String> versions, List<Day> days) {

    /**
     * @param day     the date, UTC
     * @param counts  per version of {@link RolloutDTO#versions()}, in that order: the entities with it installed
     * @param unknown entities that existed that day, with the package now or in a later event, whose
     *                history began after it (stored before history was recorded) or whose day lies
     *                past the retention horizon: not counted; always 0 today, which is counted from
     *                the current rows. Entities created later are not counted at all.
     */
    public record Day(LocalDate day, List<Long> counts, long unknown) {
    }
}
