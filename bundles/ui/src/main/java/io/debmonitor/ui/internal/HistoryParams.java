package io.debmonitor.ui.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The times of the history views: a date ({@code 2026-11-30}, a whole UTC day) or an instant
 * ({@code 2026-11-30T12:00:00Z}).
 */
final class HistoryParams {

    private HistoryParams() {
    }

    /** @return the start of the day, or the instant; null for null */
    static Instant start(String name, String value) {
        return value == null ? null : parse(name, value, false);
    }

    /** @return the end of the day (exclusive), or the instant; null for null */
    static Instant end(String name, String value) {
        return value == null ? null : parse(name, value, true);
    }

    /**
     * {@code as_of}: a date means its last moment (the state after that day's reports); today's
     * or a later time is now.
     */
    static Instant asOf(String value, Instant now) {
        Instant end = parse("as_of", value, true);
        Instant last = value.length() == 10 ? end.minusMillis(1) : end;
        if (last.isAfter(now)) {
            if (value.length() == 10 && !LocalDate.parse(value).isAfter(LocalDate.ofInstant(now, ZoneOffset.UTC))) {
                return now;
            }
            throw PageException.badRequest("as_of lies in the future; the state now is the page itself.");
        }
        return last;
    }

    private static Instant parse(String name, String value, boolean endOfDay) {
        String message = name + " must be a date (2026-11-30) or a UTC time (2026-11-30T12:00:00Z) from 1970 to 9999.";
        Instant time;
        try {
            if (value.length() == 10) {
                LocalDate day = LocalDate.parse(value);
                time = (endOfDay ? day.plusDays(1) : day).atStartOfDay().toInstant(ZoneOffset.UTC);
            } else {
                time = Instant.parse(value);
            }
        } catch (DateTimeParseException e) {
            throw PageException.badRequest(message);
        }
        if (time.isBefore(Instant.EPOCH) || !time.isBefore(LATEST)) {
            throw PageException.badRequest(message);
        }
        return time;
    }

    /** The first time after the range a database datetime holds. */
    private static final Instant LATEST = Instant.parse("9999-12-31T00:00:00Z");
}
