package dev.vigil.report;

import java.time.Duration;
import java.util.Locale;

/** Durations for people: "7 days", "2.5 h", "30 s", never {@code PT60H}. */
final class Durations {

    private Durations() {
    }

    static String human(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds % 86_400 == 0 && seconds > 0) {
            return seconds / 86_400 + (seconds == 86_400 ? " day" : " days");
        }
        if (seconds >= 86_400) {
            return String.format(Locale.ROOT, "%.1f days", seconds / 86_400.0);
        }
        if (seconds >= 3_600) {
            return seconds % 3_600 == 0 ? seconds / 3_600 + " h" : String.format(Locale.ROOT, "%.1f h", seconds / 3_600.0);
        }
        if (seconds >= 60) {
            return seconds % 60 == 0 ? seconds / 60 + " min" : String.format(Locale.ROOT, "%.1f min", seconds / 60.0);
        }
        return duration.toMillis() % 1000 == 0 ? seconds + " s" : String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }

}
