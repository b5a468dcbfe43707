package dev.vigil.core.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** An event (not a condition) is sent at most once per repeat interval for its key; the rest are repeats. Thread safe. */
final class EventRepeats {

    private final Map<String, Instant> lastSent = new ConcurrentHashMap<>();
    private final Duration interval;

    EventRepeats(Duration interval) {
        this.interval = interval;
    }

    /** Whether an event of {@code key} at {@code now} is to be sent (and is then counted as sent). */
    boolean fresh(String key, Instant now) {
        AtomicBoolean fresh = new AtomicBoolean();
        lastSent.compute(key, (k, previous) -> {
            if (previous == null || !now.isBefore(previous.plus(interval))) {
                fresh.set(true);
                return now;
            }
            return previous;
        });
        return fresh.get();
    }
}
