package io.debmonitor.bench.lab;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class RetryTest {

    @Test
    public void firstRetryIsImmediateThenTheBackoffDoublesUpToTheCap() {
        long[] waits = new long[Retry.MAX_RETRIES];
        for (int retry = 1; retry <= Retry.MAX_RETRIES; retry++) {
            waits[retry - 1] = Retry.waitMillis(retry, -1);
        }
        assertEquals("[0, 1000, 2000, 4000, 8000, 10000]", java.util.Arrays.toString(waits));
        assertEquals(10_000, Retry.waitMillis(40, -1));
    }

    @Test
    public void retryAfterWinsEvenOnTheFirstRetryAndIsCapped() {
        assertEquals(5000, Retry.waitMillis(1, 5));
        assertEquals(0, Retry.waitMillis(3, 0));
        assertEquals(10_000, Retry.waitMillis(2, 120));
    }

    @Test
    public void retryAfterIsReadInSecondsOnly() {
        assertEquals(5, Retry.retryAfterSeconds(" 5 "));
        assertEquals(-1, Retry.retryAfterSeconds(null));
        assertEquals(-1, Retry.retryAfterSeconds("Wed, 21 Oct 2015 07:28:00 GMT"));
        assertEquals(-1, Retry.retryAfterSeconds("-3"));
    }

    @Test
    public void retriesConnectionErrorsAndTheClientsStatuses() {
        for (int status : new int[] {-1, 429, 500, 502, 503, 504}) {
            assertTrue(String.valueOf(status), Retry.retryable(status));
        }
        for (int status : new int[] {201, 400, 403, 404, 413, 501}) {
            assertFalse(String.valueOf(status), Retry.retryable(status));
        }
    }
}
