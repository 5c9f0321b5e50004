package io.debmonitor.gc.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.apache.karaf.scheduler.Scheduler;
import org.apache.karaf.scheduler.SchedulerError;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.debmonitor.core.model.api.CveFetchService;

/**
 * The scheduled CVE fetch (CVE.md §2.1). With {@code enabled = true} in PID
 * {@code io.debmonitor.cve.fetch}, the job is given to the Karaf scheduler at {@code schedule},
 * never to run concurrently; every node fires, and core-model runs each slot once across them.
 * <p>
 * Unlike {@link GcJob} it calls the scheduler instead of being picked up by its whiteboard: the
 * whiteboard reads {@code scheduler.expression}, while this PID's key is {@code schedule}, and
 * scheduling here makes Quartz check the expression at activation, which then fails on an
 * invalid one instead of the whiteboard logging it.
 */
@Component(configurationPid = "io.debmonitor.cve.fetch")
public class CveFetchJob implements Runnable {

    static final String NAME = "debmonitor-cve-fetch";
    static final String DEFAULT_SCHEDULE = "0 7 0/6 * * ?";
    private static final String PID = "io.debmonitor.cve.fetch";

    private final Logger logger = LoggerFactory.getLogger(CveFetchJob.class);
    private final CveFetchService fetch;
    private final Scheduler scheduler;
    private final Clock clock;
    private final boolean scheduled;

    /**
     * @throws IllegalArgumentException when the schedule is not a Quartz expression or fires more
     *         often than hourly: the component does not activate
     */
    @Activate
    public CveFetchJob(@Reference CveFetchService fetch, @Reference Scheduler scheduler, CveFetchScheduleConfiguration config) {
        this(fetch, scheduler, config, Clock.systemUTC());
    }

    CveFetchJob(CveFetchService fetch, Scheduler scheduler, CveFetchScheduleConfiguration config, Clock clock) {
        String schedule = check(config.schedule());
        this.fetch = fetch;
        this.scheduler = scheduler;
        this.clock = clock;
        this.scheduled = config.enabled();
        if (scheduled) {
            try {
                scheduler.schedule(this, scheduler.EXPR(schedule).name(NAME).canRunConcurrently(false));
            } catch (RuntimeException | SchedulerError e) {
                throw new IllegalArgumentException(PID + ": schedule '" + schedule + "' cannot be scheduled: " + e.getMessage(), e);
            }
            logger.info("cve fetch: scheduled at '{}'", schedule);
        } else {
            logger.info("cve fetch: not scheduled ({} enabled = false); debmonitor:cve-fetch fetches on demand", PID);
        }
    }

    /**
     * CVE.md §1.6: never more often than hourly. Quartz fires at every combination of the listed
     * seconds and minutes within an hour it fires in, so single values for both are exactly what
     * keeps two runs an hour apart.
     */
    static String check(String expression) {
        String schedule = expression == null ? "" : expression.trim();
        String[] fields = schedule.split("\\s+");
        if (fields.length < 6 || fields.length > 7) {
            throw new IllegalArgumentException(PID + ": schedule '" + schedule + "' is not a Quartz cron expression (six or seven fields,"
                    + " e.g. " + DEFAULT_SCHEDULE + ").");
        }
        if (!fields[0].matches("[0-5]?\\d") || !fields[1].matches("[0-5]?\\d")) {
            throw new IllegalArgumentException(PID + ": schedule '" + schedule + "' fires more often than hourly; its seconds and minutes"
                    + " must be single values (e.g. " + DEFAULT_SCHEDULE + ", every 6 hours at minute 7).");
        }
        return schedule;
    }

    @Deactivate
    void deactivate() {
        if (scheduled) {
            scheduler.unschedule(NAME);
        }
    }

    @Override
    public void run() {
        Instant slot = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        try {
            fetch.fetchScheduled(slot);
        } catch (RuntimeException e) {
            logger.error("cve fetch: the scheduled fetch for {} failed: {}", slot, e.getMessage(), e);
        }
    }
}
