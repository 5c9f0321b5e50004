package io.debmonitor.gc.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.karaf.scheduler.ScheduleOptions;
import org.apache.karaf.scheduler.Scheduler;
import org.junit.Test;

import io.debmonitor.core.model.api.CveFetchCheckDTO;
import io.debmonitor.core.model.api.CveFetchService;

public class CveFetchJobTest {

    private final List<Instant> slots = new ArrayList<>();
    /** What the fake scheduler was told: "schedule expression name concurrent", "unschedule name". */
    private final List<String> calls = new ArrayList<>();
    private RuntimeException failure;

    private final CveFetchService fetch = new CveFetchService() {
        @Override
        public List<CveFetchCheckDTO> fetch(boolean force) {
            throw new AssertionError("the schedule never runs a manual fetch");
        }

        @Override
        public Optional<List<CveFetchCheckDTO>> fetchScheduled(Instant slot) {
            slots.add(slot);
            if (failure != null) {
                throw failure;
            }
            return Optional.of(List.of());
        }

        @Override
        public List<CveFetchCheckDTO> checks() {
            return List.of();
        }

        @Override
        public String schedule() {
            return null;
        }
    };

    /** A scheduler that records what it is asked, and refuses an expression with "invalid" in it as Quartz would refuse it. */
    private final Scheduler scheduler = (Scheduler) Proxy.newProxyInstance(Scheduler.class.getClassLoader(), new Class<?>[] {Scheduler.class},
            (proxy, method, args) -> switch (method.getName()) {
                case "EXPR" -> options((String) args[0]);
                case "schedule" -> {
                    ScheduleOptions options = (ScheduleOptions) args[1];
                    if (options.schedule().contains("L-")) {
                        throw new IllegalArgumentException("CronExpression '" + options.schedule() + "' is invalid.");
                    }
                    calls.add("schedule " + options.schedule() + " " + options.name() + " " + options.canRunConcurrently());
                    yield null;
                }
                case "unschedule" -> calls.add("unschedule " + args[0]);
                default -> throw new AssertionError(method.getName());
            });

    private static ScheduleOptions options(String expression) {
        Map<String, Object> values = new java.util.HashMap<>(Map.of("schedule", expression, "canRunConcurrently", true));
        return (ScheduleOptions) Proxy.newProxyInstance(ScheduleOptions.class.getClassLoader(), new Class<?>[] {ScheduleOptions.class},
                (proxy, method, args) -> {
                    if (args != null) {
                        values.put(method.getName(), args[0]);
                        return proxy;
                    }
                    return values.get(method.getName());
                });
    }

    private static CveFetchScheduleConfiguration config(boolean enabled, String schedule) {
        return (CveFetchScheduleConfiguration) Proxy.newProxyInstance(CveFetchScheduleConfiguration.class.getClassLoader(),
                new Class<?>[] {CveFetchScheduleConfiguration.class}, (proxy, method, args) -> method.getName().equals("enabled") ? enabled
                        : schedule);
    }

    @Test
    public void enabledItIsScheduledNeverConcurrentlyAndFetchesTheSlot() {
        Clock clock = Clock.fixed(Instant.parse("2026-12-07T06:07:00.412Z"), ZoneOffset.UTC);
        CveFetchJob job = new CveFetchJob(fetch, scheduler, config(true, CveFetchJob.DEFAULT_SCHEDULE), clock);
        assertEquals(List.of("schedule 0 7 0/6 * * ? debmonitor-cve-fetch false"), calls);
        job.run();
        assertEquals(List.of(Instant.parse("2026-12-07T06:07:00Z")), slots);
        failure = new IllegalStateException("database down");
        job.run();
        assertEquals("a failed run is logged and the schedule goes on", 2, slots.size());
        job.deactivate();
        assertEquals("unschedule debmonitor-cve-fetch", calls.get(1));
    }

    @Test
    public void offByDefaultNothingIsScheduled() {
        CveFetchJob job = new CveFetchJob(fetch, scheduler, config(false, CveFetchJob.DEFAULT_SCHEDULE), Clock.systemUTC());
        job.deactivate();
        assertEquals(List.of(), calls);
    }

    @Test
    public void aScheduleMoreFrequentThanHourlyOrInvalidFailsActivation() {
        for (String frequent : List.of("0 */10 * * * ?", "0 0,30 3 * * ?", "0/30 7 * * * ?", "* 7 * * * ?", "0 5-6 * * * ?")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new CveFetchJob(fetch, scheduler, config(false, frequent), Clock.systemUTC()));
            assertEquals("io.debmonitor.cve.fetch: schedule '" + frequent + "' fires more often than hourly; its seconds and minutes must be"
                    + " single values (e.g. 0 7 0/6 * * ?, every 6 hours at minute 7).", e.getMessage());
        }
        IllegalArgumentException fields = assertThrows(IllegalArgumentException.class,
                () -> new CveFetchJob(fetch, scheduler, config(true, "every 6 hours"), Clock.systemUTC()));
        assertTrue(fields.getMessage(), fields.getMessage().contains("is not a Quartz cron expression"));
        IllegalArgumentException quartz = assertThrows(IllegalArgumentException.class,
                () -> new CveFetchJob(fetch, scheduler, config(true, "0 7 3 L-40 * ?"), Clock.systemUTC()));
        assertEquals("io.debmonitor.cve.fetch: schedule '0 7 3 L-40 * ?' cannot be scheduled: CronExpression '0 7 3 L-40 * ?' is invalid.",
                quartz.getMessage());
        assertEquals(List.of(), calls);
        new CveFetchJob(fetch, scheduler, config(true, "0 7 * * * ?"), Clock.systemUTC());
        assertEquals("hourly is allowed", List.of("schedule 0 7 * * * ? debmonitor-cve-fetch false"), calls);
    }
}
