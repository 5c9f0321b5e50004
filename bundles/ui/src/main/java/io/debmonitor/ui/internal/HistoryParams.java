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
        try {
            if (value.length() == 10) {
                LocalDate day = LocalDate.parse(value);
                return (endOfDay ? day.plusDays(1) : day).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw PageException.badRequest(name + " must be a date (2026-11-30) or a UTC time (2026-11-30T12:00:00Z).");
        }
    }
}
