package io.debmonitor.core.model.api;

import java.time.Instant;

/**
 * One change of one package row of a host or an image, with the row on both sides (null where
 * there was no row, or no upgrade). A {@link HistoryEvent#BASELINE} has no package and no sides.
 *
 * @param id         increasing in the order the events of one entity were stored
 * @param created    when the report that made the change was applied, UTC, to the millisecond
 * @param updateType the report's update type, as on the wire ({@code full}, {@code dpkg_hook}, ...)
 * @since 0.4.0
 */
public record HistoryEventDTO(long id, Instant created, String updateType, HistoryEvent event, String packageName,
        String versionBefore, String versionAfter, String upgradeBefore, String upgradeAfter, String upgradeTypeBefore,
        String upgradeTypeAfter) {
}
