package io.debmonitor.gc.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.debmonitor.core.model.api.GarbageCollectionService;

/**
 * Scheduled garbage collection (SPEC §2.8) through the Karaf scheduler whiteboard. The
 * scheduler never starts this job while it runs here; the lease inside core-model keeps it from
 * running on two nodes, and each slot runs once across all of them.
 */
@Component(service = Runnable.class, configurationPid = "io.debmonitor.gc.schedule",
        property = {"scheduler.name=debmonitor-gc", "scheduler.concurrent:Boolean=false",
            "scheduler.expression=" + GcJob.DEFAULT_SCHEDULE})
@Designate(ocd = GcScheduleConfiguration.class)
public class GcJob implements Runnable {

    static final String DEFAULT_SCHEDULE = "0 0 3 ? * MON,THU";

    private final Logger logger = LoggerFactory.getLogger(GcJob.class);
    private final GarbageCollectionService gc;
    private final Clock clock;

    @Activate
    public GcJob(@Reference GarbageCollectionService gc, GcScheduleConfiguration config) {
        this(gc, config, Clock.systemUTC());
    }

    GcJob(GarbageCollectionService gc, GcScheduleConfiguration config, Clock clock) {
        String schedule = config.scheduler_expression().trim();
        if (schedule.split("\\s+").length < 6) {
            throw new IllegalArgumentException("io.debmonitor.gc.schedule: scheduler.expression '" + schedule
                    + "' is not a Quartz cron expression (six or seven fields, e.g. " + DEFAULT_SCHEDULE + ").");
        }
        this.gc = gc;
        this.clock = clock;
        logger.info("gc: scheduled at '{}'", schedule);
    }

    @Override
    public void run() {
        Instant slot = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        try {
            gc.runScheduled(slot);
        } catch (RuntimeException e) {
            logger.error("gc: the scheduled run for {} failed: {}", slot, e.getMessage(), e);
        }
    }
}
