package io.debmonitor.ui.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How times are written: ISO with milliseconds in JSON and {@code datetime}, relative in text, UTC in tooltips (SPEC §5.1). */
final class Times {

    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private Times() {
    }

    /** @return e.g. {@code 2025-07-03T14:10:09.483Z}, or null for null */
    static String iso(Instant time) {
        return time == null ? null : ISO.format(time);
    }

    /** @return e.g. {@code 2025-07-03 14:10:09 UTC} */
    static String utc(Instant time) {
        return UTC.format(time);
    }

    /** @return e.g. "3 hours ago", "just now" or "in 2 minutes" */
    static String relative(Instant time, Instant now) {
        Duration difference = Duration.between(time, now);
        boolean future = difference.isNegative();
        long seconds = difference.abs().getSeconds();
        if (seconds < 45) {
            return "just now";
        }
        String amount;
        if (seconds < 90) {
            amount = "1 minute";
        } else if (seconds < 3600) {
            amount = plural(seconds / 60, "minute");
        } else if (seconds < 86_400) {
            amount = plural(seconds / 3600, "hour");
        } else if (seconds < 30L * 86_400) {
            amount = plural(seconds / 86_400, "day");
        } else if (seconds < 365L * 86_400) {
            amount = plural(seconds / (30L * 86_400), "month");
        } else {
            amount = plural(seconds / (365L * 86_400), "year");
        }
        return future ? "in " + amount : amount + " ago";
    }

    /** @return a threshold such as "48 hours" or "45 days": in days when it is a whole number of them above two */
    static String span(Duration span) {
        long hours = span.toHours();
        return hours > 48 && hours % 24 == 0 ? plural(hours / 24, "day") : plural(hours, "hour");
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
