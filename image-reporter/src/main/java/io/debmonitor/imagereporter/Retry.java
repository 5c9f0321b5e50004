package io.debmonitor.imagereporter;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** The waits between attempts: 1, 2, 4... s (at most 60 s), or what the server asked for (at most 120 s). */
final class Retry {

    static final long MAX_WAIT_SECONDS = 120;
    private static final long MAX_BACKOFF_SECONDS = 60;

    /** Waits between attempts; tests pass one that does not sleep. */
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private Retry() {
    }

    /** The wait before retry {@code retry} (1-based); {@code retryAfterSeconds} wins when it is not -1. */
    static long waitMillis(int retry, long retryAfterSeconds) {
        long seconds = retryAfterSeconds >= 0 ? retryAfterSeconds
                : Math.min(MAX_BACKOFF_SECONDS, 1L << Math.min(retry - 1, 30));
        return Math.min(seconds, MAX_WAIT_SECONDS) * 1000;
    }

    /** Retry-After as seconds or an HTTP date; -1 when absent or unreadable. */
    static long retryAfterSeconds(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return -1;
        }
        try {
            return Math.max(0, Long.parseLong(header.strip()));
        } catch (NumberFormatException e) {
            try {
                Instant at = ZonedDateTime.parse(header.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return Math.max(0, Duration.between(now, at).getSeconds());
            } catch (DateTimeParseException notADate) {
                return -1;
            }
        }
    }
}
