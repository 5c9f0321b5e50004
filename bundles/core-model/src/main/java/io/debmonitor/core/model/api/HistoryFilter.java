package io.debmonitor.core.model.api;

import java.time.Instant;

/**
 * Filters of an entity's timeline.
 *
 * @param packageName exact binary package name, or null for all
 * @param from        only events at or after this time, or null
 * @param to          only events before this time, or null
 * @since 0.4.0
 */
public record HistoryFilter(String packageName, Instant from, Instant to) {

    /** No filter. */
    public static final HistoryFilter ALL = new HistoryFilter(null, null, null);
}
