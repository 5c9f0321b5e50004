package io.debmonitor.bench.lab;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.Map;

import org.junit.Test;

public class TallyTest {

    @Test
    public void classifiesStatuses() {
        assertEquals(Tally.Kind.CREATED, Tally.classify(201, false));
        assertEquals(Tally.Kind.RETRY_LATER, Tally.classify(503, true));
        assertEquals(Tally.Kind.UNAVAILABLE_WITHOUT_RETRY_AFTER, Tally.classify(503, false));
        assertEquals(Tally.Kind.CLIENT_ERROR, Tally.classify(403, false));
        assertEquals(Tally.Kind.CLIENT_ERROR, Tally.classify(429, true));
        assertEquals(Tally.Kind.SERVER_ERROR, Tally.classify(500, false));
        assertEquals(Tally.Kind.SERVER_ERROR, Tally.classify(502, false));
        assertEquals(Tally.Kind.CONNECTION_ERROR, Tally.classify(-1, false));
        assertEquals(Tally.Kind.OTHER, Tally.classify(200, false));
    }

    @Test
    public void passesWithCreatedRetryLaterAndConnectionErrorsOnly() {
        Tally tally = new Tally(0);
        tally.attempt(-1, false, "ConnectException", 3, "a");
        tally.attempt(503, true, null, 1500, "b");
        tally.attempt(201, false, null, 40, "c");
        tally.report(true, 2, 100);
        assertTrue(tally.passed());
        Map<String, Object> summary = tally.summary(1000);
        assertEquals(3L, summary.get("requests"));
        assertEquals(1L, summary.get("reports_acknowledged"));
        assertEquals(1500L, summary.get("max_latency_ms"));
        assertEquals("b", summary.get("max_latency_at"));
        assertEquals(Map.of("201", 1L, "503", 1L, "ConnectException", 1L), summary.get("by_status"));
        assertEquals(2.0, summary.get("retries_per_report_mean"));
        assertEquals(900L, summary.get("longest_window_without_success_ms"));
    }

    @Test
    public void aServerErrorOrA503WithoutRetryAfterFails() {
        Tally a = new Tally(0);
        a.attempt(500, false, null, 1, "");
        assertFalse(a.passed());
        Tally b = new Tally(0);
        b.attempt(503, false, null, 1, "");
        assertFalse(b.passed());
        @SuppressWarnings("unchecked")
        Map<String, Object> byKind = (Map<String, Object>) b.summary(1).get("by_kind");
        assertEquals(1L, byKind.get("503_without_retry_after"));
    }

    @Test
    public void longestGapCountsFromTheStartAndUpToTheEnd() {
        assertArrayEquals(new long[] {50, 120}, Tally.longestGap(100, 200, new long[] {170, 110, 120}));
        assertArrayEquals(new long[] {60, 100}, Tally.longestGap(100, 200, new long[] {160, 190}));
        assertArrayEquals(new long[] {70, 130}, Tally.longestGap(100, 200, new long[] {130}));
        assertArrayEquals(new long[] {100, 100}, Tally.longestGap(100, 200, new long[0]));
    }
}
