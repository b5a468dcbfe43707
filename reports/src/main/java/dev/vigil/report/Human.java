package dev.vigil.report;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Durations and times for people: "7 days", "2.5 h", "30 s" (never {@code PT60H}); "2026-12-01 22:01:14Z". */
final class Human {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private Human() {}

    /** An instant to the second, in UTC. */
    static String time(Instant instant) {
        return TIME.format(instant);
    }

    static String duration(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds % 86_400 == 0 && seconds > 0) {
            return seconds / 86_400 + (seconds == 86_400 ? " day" : " days");
        }
        if (seconds >= 86_400) {
            return String.format(Locale.ROOT, "%.1f days", seconds / 86_400.0);
        }
        if (seconds >= 3_600) {
            return seconds % 3_600 == 0
                    ? seconds / 3_600 + " h"
                    : String.format(Locale.ROOT, "%.1f h", seconds / 3_600.0);
        }
        if (seconds >= 60) {
            return seconds % 60 == 0 ? seconds / 60 + " min" : String.format(Locale.ROOT, "%.1f min", seconds / 60.0);
        }
        return duration.toMillis() % 1000 == 0
                ? seconds + " s"
                : String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
}
