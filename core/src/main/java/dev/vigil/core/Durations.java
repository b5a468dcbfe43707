package dev.vigil.core;

import java.time.Duration;

/**
 * Durations for people, in the units the configuration is written in: {@code 5m14s}, {@code 2h}, {@code 7d},
 * {@code 1d3h}, {@code 250ms}, never {@code PT5M14S}. At most the two largest units are shown (a lag of
 * {@code 3d4h} does not need its seconds); below a second, milliseconds. Stateless.
 */
public final class Durations {

    private static final long[] UNIT_SECONDS = {86_400, 3_600, 60, 1};
    private static final String[] UNIT_NAMES = {"d", "h", "m", "s"};

    private Durations() {}

    /** {@code 5m14s}; a negative duration gets a leading minus. */
    public static String format(Duration duration) {
        if (duration.isNegative()) {
            return "-" + format(duration.negated());
        }
        long seconds = duration.toSeconds();
        if (seconds == 0) {
            long millis = duration.toMillis();
            return millis == 0 && duration.toNanos() > 0 ? "<1ms" : millis + "ms";
        }
        StringBuilder text = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < UNIT_SECONDS.length && shown < 2; i++) {
            long count = seconds / UNIT_SECONDS[i];
            if (count > 0) {
                text.append(count).append(UNIT_NAMES[i]);
                seconds -= count * UNIT_SECONDS[i];
                shown++;
            } else if (shown > 0) {
                shown++; // 1d0h... stop after the unit below the largest, even when it is zero
            }
        }
        return text.toString();
    }
}
