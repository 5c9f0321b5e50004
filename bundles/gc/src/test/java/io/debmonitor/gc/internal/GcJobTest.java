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
import java.util.Optional;

import org.junit.Test;

import io.debmonitor.core.model.api.GarbageCollectionService;
import io.debmonitor.core.model.api.GcRunDTO;

public class GcJobTest {

    private final List<Instant> slots = new ArrayList<>();
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

    private static GcScheduleConfiguration schedule(String expression) {
        return (GcScheduleConfiguration) Proxy.newProxyInstance(GcScheduleConfiguration.class.getClassLoader(),
                new Class<?>[] {GcScheduleConfiguration.class}, (proxy, method, args) -> expression);
    }

    @Test
    public void everyNodeFiringInTheSameMinuteAsksForTheSameSlot() {
        Clock clock = Clock.fixed(Instant.parse("2026-12-07T03:00:01.734Z"), ZoneOffset.UTC);
        new GcJob(gc, schedule(GcJob.DEFAULT_SCHEDULE), clock).run();
        assertEquals(List.of(Instant.parse("2026-12-07T03:00:00Z")), slots);
    }

    @Test
    public void aFailedRunIsLoggedAndTheScheduleGoesOn() {
        failure = new IllegalStateException("database down");
        GcJob job = new GcJob(gc, schedule(GcJob.DEFAULT_SCHEDULE), Clock.systemUTC());
        job.run();
        job.run();
        assertEquals(2, slots.size());
    }

    @Test
    public void aScheduleThatIsNoCronExpressionFailsActivation() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GcJob(gc, schedule("every monday"), Clock.systemUTC()));
        assertTrue(e.getMessage(), e.getMessage().contains("scheduler.expression 'every monday'"));
    }
}
