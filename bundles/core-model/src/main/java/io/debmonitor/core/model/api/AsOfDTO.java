package io.debmonitor.core.model.api;

import java.time.Instant;
import java.util.List;

/**
 * An entity's package rows as they were at a past time, or why they are not known.
 *
 * @param asOf       the time asked for
 * @param knownSince the earliest time whose state is known: when the entity's history began, or
 *                   the retention horizon if later; null when its history has not begun
 * @param known      true when {@code asOf} is at or after {@code knownSince}; the rows are then
 *                   exact, else empty and never guessed
 * @param rows       the rows sorted by package name
 * @since 0.4.0
 */
public record AsOfDTO(Instant asOf, Instant knownSince, boolean known, List<PackageRowDTO> rows) {
}
