package io.debmonitor.bench.lab;

/**
 * The client's retry rules (SPEC §7.5), scaled down for the lab: retry on connection errors,
 * timeouts and 429/500/502/503/504; the first retry is immediate, retry n waits
 * {@code 0.5 s × 2^(n−1)}, at most 10 s; {@code Retry-After} (seconds) wins, also capped at 10 s.
 */
final class Retry {

    static final int MAX_RETRIES = 6;
    static final long FACTOR_MILLIS = 500;
    static final long CAP_MILLIS = 10_000;

    private Retry() {
    }

    /** @param status the HTTP status, or -1 for a connection error or timeout */
    static boolean retryable(int status) {
        return status < 0 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
    }

    /**
     * @param retry             1 for the first retry
     * @param retryAfterSeconds the previous answer's Retry-After, or -1
     */
    static long waitMillis(int retry, long retryAfterSeconds) {
        if (retryAfterSeconds >= 0) {
            return Math.min(retryAfterSeconds * 1000, CAP_MILLIS);
        }
        if (retry <= 1) {
            return 0;
        }
        return retry > 20 ? CAP_MILLIS : Math.min(FACTOR_MILLIS << (retry - 1), CAP_MILLIS);
    }

    /** @return the delay of a Retry-After header in seconds; -1 when absent or not a number of seconds */
    static long retryAfterSeconds(String header) {
        if (header == null) {
            return -1;
        }
        try {
            long seconds = Long.parseLong(header.strip());
            return seconds < 0 ? -1 : seconds;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
