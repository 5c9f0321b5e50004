package io.debmonitor.gc.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.karaf.scheduler.ScheduleOptions;
import org.apache.karaf.scheduler.Scheduler;
import org.junit.Test;

import io.debmonitor.core.model.api.GarbageCollectionService;
import io.debmonitor.core.model.api.GcRunDTO;

public class GcJobTest {

    private final List<Instant> slots = new ArrayList<>();
    private final List<String> scheduled = new ArrayList<>();
    private final List<String> unscheduled = new ArrayList<>();
    private RuntimeException failure;

    private final GarbageCollectionService gc = new GarbageCollectionService() {
        @Override
        public GcRunDTO run(String actor, boolean dryRun) {
            throw new AssertionError("the schedule never runs a manual gc");
        }

        @Override
        public Optional<GcRunDTO> runScheduled(Instant slot) {
            slots.add(slot);
            if (failure != null) {
                throw failure;
            }
            return Optional.empty();
        }
    };

    /** Records what is scheduled: the options' name and period, as "name every N s". */
    private final Scheduler scheduler = (Scheduler) Proxy.newProxyInstance(Scheduler.class.getClassLoader(), new Class<?>[] {Scheduler.class},
            (proxy, method, args) -> {
                switch (method.getName()) {
                    case "NOW":
                        return options((Long) args[1]);
                    case "schedule":
                        scheduled.add(args[1].toString());
                        return null;
                    case "unschedule":
                        unscheduled.add((String) args[0]);
                        return true;
                    default:
                        throw new AssertionError(method.getName());
                }
            });

    private static ScheduleOptions options(long period) {
        String[] name = new String[1];
        return (ScheduleOptions) Proxy.newProxyInstance(ScheduleOptions.class.getClassLoader(), new Class<?>[] {ScheduleOptions.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "name":
                            name[0] = (String) args[0];
                            return proxy;
                        case "canRunConcurrently":
                        case "config":
                            return proxy;
                        case "toString":
                            return name[0] + " every " + period + " s";
                        default:
                            throw new AssertionError(method.getName());
                    }
                });
    }

    private static GcScheduleConfiguration schedule(String expression, int watchdogSeconds) {
        return (GcScheduleConfiguration) Proxy.newProxyInstance(GcScheduleConfiguration.class.getClassLoader(),
                new Class<?>[] {GcScheduleConfiguration.class},
                (proxy, method, args) -> method.getName().equals("watchdogSeconds") ? (Object) watchdogSeconds : expression);
    }

    private GcJob job(String expression, String now) {
        return new GcJob(gc, scheduler, schedule(expression, 60), Clock.fixed(Instant.parse(now), ZoneOffset.UTC), ZoneOffset.UTC);
    }

    @Test
    public void everyNodeAsksForTheNominalFireTimeHoweverLateOrSlightlyEarlyItFires() {
        job(GcJob.DEFAULT_SCHEDULE, "2026-12-07T03:00:01.734Z").run();
        job(GcJob.DEFAULT_SCHEDULE, "2026-12-07T03:04:30Z").run();
        job("0 0/2 * * * ?", "2026-12-07T10:03:59.5Z").run();
        job("0 0/2 * * * ?", "2026-12-07T10:04:00Z").run();
        job("0 0/2 * * * ?", "2026-12-07T10:05:59.998Z").run();
        assertEquals(List.of(Instant.parse("2026-12-07T03:00:00Z"), Instant.parse("2026-12-07T03:00:00Z"),
                Instant.parse("2026-12-07T10:02:00Z"), Instant.parse("2026-12-07T10:04:00Z"), Instant.parse("2026-12-07T10:06:00Z")), slots);
    }

    @Test
    public void theSlotsFollowTheServersTimeZone() {
        new GcJob(gc, scheduler, schedule(GcJob.DEFAULT_SCHEDULE, 60), Clock.fixed(Instant.parse("2026-12-07T02:30:00Z"), ZoneOffset.UTC),
                ZoneId.of("Europe/Berlin")).run();
        assertEquals(List.of(Instant.parse("2026-12-07T02:00:00Z")), slots);
    }

    @Test
    public void theWatchdogAsksForTheLatestSlotUnlessItIsADayOld() {
        job(GcJob.DEFAULT_SCHEDULE, "2026-12-07T09:00:00Z").watch();
        assertEquals("Monday 03:00, six hours ago", List.of(Instant.parse("2026-12-07T03:00:00Z")), slots);
        job(GcJob.DEFAULT_SCHEDULE, "2026-12-09T09:00:00Z").watch();
        assertEquals("on Wednesday the last slot is Monday's: left alone", 1, slots.size());
    }

    @Test
    public void theWatchdogIsScheduledWithTheJobAndGoesWithIt() {
        GcJob job = new GcJob(gc, scheduler, schedule(GcJob.DEFAULT_SCHEDULE, 30), Clock.systemUTC(), ZoneOffset.UTC);
        assertEquals(List.of(GcJob.WATCHDOG + " every 30 s"), scheduled);
        job.deactivate();
        assertEquals(List.of(GcJob.WATCHDOG), unscheduled);
    }

    @Test
    public void aFailedRunIsLoggedAndTheScheduleGoesOn() {
        failure = new IllegalStateException("database down");
        GcJob job = job(GcJob.DEFAULT_SCHEDULE, "2026-12-07T03:00:00Z");
        job.run();
        job.watch();
        assertEquals(2, slots.size());
    }

    @Test
    public void invalidSettingsFailActivationWithTheirName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GcJob(gc, scheduler, schedule("every monday", 60), Clock.systemUTC(), ZoneOffset.UTC));
        assertTrue(e.getMessage(), e.getMessage().contains("scheduler.expression 'every monday'"));
        e = assertThrows(IllegalArgumentException.class,
                () -> new GcJob(gc, scheduler, schedule(GcJob.DEFAULT_SCHEDULE, 5), Clock.systemUTC(), ZoneOffset.UTC));
        assertTrue(e.getMessage(), e.getMessage().contains("watchdogSeconds must lie between 10 and 3600, not 5"));
    }
}
