package io.debmonitor.client;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

public class DeadlineTest {

    private final List<String> logged = Collections.synchronizedList(new ArrayList<>());
    private Consumer<String> oldSink;

    @Before
    public void captureLog() {
        oldSink = Log.setSink(logged::add);
    }

    @After
    public void restoreLog() {
        Log.setSink(oldSink);
    }

    @Test
    public void expiredDeadlineLogsEachPendingServerAndExitsWithOne() throws Exception {
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Set<String> pending = ConcurrentHashMap.newKeySet();
        pending.add("debmonitor1.example.org");
        new Deadline(10, System.nanoTime(), exit::complete).arm(pending);
        assertEquals(Integer.valueOf(1), exit.get(10, TimeUnit.SECONDS));
        assertEquals(List.of("[ERROR] deadline of 10 s exceeded, report not sent to debmonitor1.example.org"), logged);
    }

    @Test
    public void deadlineCountsFromProcessStart() {
        Deadline d = new Deadline(10, java.time.Instant.now().minusSeconds(4), code -> { });
        long remaining = d.remainingMillis();
        assertTrue(String.valueOf(remaining), remaining > 5_000 && remaining <= 6_000);
        assertEquals(0, new Deadline(1, java.time.Instant.now().minusSeconds(4), code -> { }).remainingMillis());
    }
}
