package io.debmonitor.gc.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

/**
 * The slots of a Quartz cron expression. A slot is the nominal fire time, the same on every node
 * however late one fires, so that core-model runs each slot once across the nodes.
 */
final class GcSlots {

    /** A slot missed by every node (all down at its time) is still run when less old than this. */
    static final Duration CATCH_UP = Duration.ofHours(24);

    private final ExecutionTime times;
    private final ZoneId zone;

    /** @throws IllegalArgumentException when {@code expression} is not a Quartz cron expression */
    GcSlots(String expression, ZoneId zone) {
        this.times = ExecutionTime.forCron(new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ)).parse(expression));
        this.zone = zone;
    }

    /** @return the latest slot at or before {@code now} */
    Optional<Instant> latest(Instant now) {
        ZonedDateTime second = now.truncatedTo(ChronoUnit.SECONDS).atZone(zone);
        if (times.isMatch(second)) {
            return Optional.of(second.toInstant());
        }
        return times.lastExecution(second).map(ZonedDateTime::toInstant);
    }

    /** @return the latest slot at or before {@code now} that is still worth running */
    Optional<Instant> due(Instant now) {
        return latest(now).filter(slot -> slot.isAfter(now.minus(CATCH_UP)));
    }
}
