package io.debmonitor.imagereporter;

/**
 * The waits between attempts: 1, 2, 4... s (at most 60 s), or what the server asked for with {@code Retry-After}
 * (read by {@link io.debmonitor.client.Sender#retryAfterSeconds}, at most 120 s). Unlike the host client, the first
 * retry waits too: a registry that just failed gets a moment.
 */
final class Retry {

    private static final long MAX_BACKOFF_SECONDS = 60;

    private Retry() {
    }

    /** The wait before retry {@code retry} (1-based); {@code retryAfterSeconds} wins when it is not -1. */
    static long waitMillis(int retry, long retryAfterSeconds) {
        long seconds = retryAfterSeconds >= 0 ? retryAfterSeconds
                : Math.min(MAX_BACKOFF_SECONDS, 1L << Math.min(retry - 1, 30));
        return seconds * 1000;
    }
}
