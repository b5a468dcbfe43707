package dev.vigil.core.alert;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatcher's sinks, each called in turn: a failing sink is logged (naming it and the alert) and never keeps
 * the others from theirs. Called from the delivery thread only (and from close, after it).
 */
final class SinkFanOut {

    private static final Logger LOG = LoggerFactory.getLogger(SinkFanOut.class);

    private final List<AlertSink> sinks;
    private final Clock clock;
    private final Duration refreshInterval;
    private Instant lastRefresh;

    /** @param refreshNow whether open incidents are handed to the sinks again at the first chance (after a restart) */
    SinkFanOut(List<AlertSink> sinks, Clock clock, Duration refreshInterval, boolean refreshNow) {
        this.sinks = List.copyOf(sinks);
        this.clock = clock;
        this.refreshInterval = refreshInterval;
        this.lastRefresh = refreshNow ? Instant.MIN : clock.instant();
    }

    /** Hands {@code alert} to every sink; whether every one took it. */
    boolean publish(Alert alert) {
        boolean everySink = true;
        for (AlertSink sink : sinks) {
            try {
                sink.publish(alert);
            } catch (IOException | RuntimeException e) {
                everySink = false;
                LOG.error(
                        "alert {} could not be delivered to {}: {}. The alert was: {}",
                        alert.key(),
                        sink.describe(),
                        e.getMessage(),
                        alert);
            }
        }
        return everySink;
    }

    /** Hands the open incidents to every sink again, once per refresh interval (Alertmanager forgets silent ones). */
    void refreshIfDue(Supplier<List<Alert>> openIncidents) {
        Instant now = clock.instant();
        if (now.isBefore(lastRefresh.plus(refreshInterval))) {
            return;
        }
        lastRefresh = now;
        List<Alert> current = openIncidents.get();
        if (current.isEmpty()) {
            return;
        }
        for (AlertSink sink : sinks) {
            try {
                sink.refresh(current);
            } catch (IOException | RuntimeException e) {
                LOG.warn(
                        "{} open incident(s) could not be refreshed at {}: {}",
                        current.size(),
                        sink.describe(),
                        e.getMessage());
            }
        }
    }

    /** Closes every sink; the failures are logged together. */
    void close() {
        List<String> failures = new ArrayList<>();
        for (AlertSink sink : sinks) {
            try {
                sink.close();
            } catch (IOException e) {
                failures.add(sink.describe() + ": " + e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            LOG.warn("closing alert sinks failed: {}", failures);
        }
    }
}
