package io.debmonitor.gc.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

import org.apache.karaf.scheduler.Scheduler;
import org.apache.karaf.scheduler.SchedulerError;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.debmonitor.core.model.api.GarbageCollectionService;
import io.debmonitor.core.model.api.GcRunDTO;

/**
 * Scheduled garbage collection (SPEC §2.8). The Karaf scheduler whiteboard fires this job at
 * {@code scheduler.expression}, never while it runs here; the lease in core-model keeps a run on
 * one node at a time and runs each slot (the expression's nominal fire time) once across all.
 * <p>
 * A watchdog, every {@code watchdogSeconds}, asks core-model for the latest slot too: a slot
 * whose runner died (its lease expired) is resumed by another node, and one that no node could
 * start (all down, or a manual run held the lease) runs late, if less than a day late.
 */
@Component(service = Runnable.class, configurationPid = "io.debmonitor.gc.schedule",
        property = {"scheduler.name=debmonitor-gc", "scheduler.concurrent:Boolean=false",
            "scheduler.expression=" + GcJob.DEFAULT_SCHEDULE})
@Designate(ocd = GcScheduleConfiguration.class)
public class GcJob implements Runnable {

    static final String DEFAULT_SCHEDULE = "0 0 3 ? * MON,THU";
    static final String WATCHDOG = "debmonitor-gc-watchdog";
    private static final String PID = "io.debmonitor.gc.schedule";

    private final Logger logger = LoggerFactory.getLogger(GcJob.class);
    private final GarbageCollectionService gc;
    private final Scheduler scheduler;
    private final Clock clock;
    private final GcSlots slots;

    @Activate
    public GcJob(@Reference GarbageCollectionService gc, @Reference Scheduler scheduler, GcScheduleConfiguration config) {
        this(gc, scheduler, config, Clock.systemUTC(), ZoneId.systemDefault());
    }

    GcJob(GarbageCollectionService gc, Scheduler scheduler, GcScheduleConfiguration config, Clock clock, ZoneId zone) {
        String schedule = config.scheduler_expression().trim();
        try {
            this.slots = new GcSlots(schedule, zone);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PID + ": scheduler.expression '" + schedule + "' is not a Quartz cron expression (six or"
                    + " seven fields, e.g. " + DEFAULT_SCHEDULE + "): " + e.getMessage(), e);
        }
        if (config.watchdogSeconds() < 10 || config.watchdogSeconds() > 3600) {
            throw new IllegalArgumentException(PID + ": watchdogSeconds must lie between 10 and 3600, not " + config.watchdogSeconds() + ".");
        }
        this.gc = gc;
        this.scheduler = scheduler;
        this.clock = clock;
        try {
            scheduler.schedule((Runnable) this::watch, scheduler.NOW(-1, config.watchdogSeconds()).name(WATCHDOG).canRunConcurrently(false));
        } catch (SchedulerError e) {
            throw new IllegalStateException("gc: cannot schedule the watchdog: " + e.getMessage(), e);
        }
        logger.info("gc: scheduled at '{}', watchdog every {} s", schedule, config.watchdogSeconds());
    }

    @Deactivate
    void deactivate() {
        scheduler.unschedule(WATCHDOG);
    }

    /**
     * The schedule fired: this node asks for the slot it fired for. Quartz may fire a few
     * milliseconds early, hence a tenth of a second of grace.
     */
    @Override
    public void run() {
        Optional<Instant> slot = slots.latest(clock.instant().plusMillis(100));
        if (slot.isEmpty()) {
            return;
        }
        if (runSlot(slot.get()).isEmpty()) {
            logger.info("gc: the run for slot {} started elsewhere, or another run holds the lease; the watchdog will look again",
                    slot.get());
        }
    }

    /** The watchdog: runs the latest slot when it is not done and nobody holds the lease. */
    void watch() {
        slots.due(clock.instant()).ifPresent(this::runSlot);
    }

    private Optional<GcRunDTO> runSlot(Instant slot) {
        try {
            return gc.runScheduled(slot);
        } catch (RuntimeException e) {
            logger.error("gc: the scheduled run for slot {} failed: {}", slot, e.getMessage(), e);
            return Optional.empty();
        }
    }
}
