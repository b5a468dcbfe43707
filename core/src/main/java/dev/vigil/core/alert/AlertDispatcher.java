package dev.vigil.core.alert;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers alerts to every configured sink, suppressing an alert whose key was delivered less than
 * {@code dedupWindow} ago (the same lost segment is not paged every ten seconds). A sink that fails is
 * logged and does not stop delivery to the others. Thread safe.
 */
public final class AlertDispatcher implements AlertPublisher, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AlertDispatcher.class);

    private final List<AlertSink> sinks;
    private final Clock clock;
    private final Duration dedupWindow;
    private final Map<String, Instant> lastDelivered = new ConcurrentHashMap<>();

    public AlertDispatcher(List<AlertSink> sinks, Clock clock, Duration dedupWindow) {
        this.sinks = List.copyOf(sinks);
        this.clock = clock;
        this.dedupWindow = dedupWindow;
    }

    @Override
    public void raise(Alert alert) {
        Instant now = clock.instant();
        boolean[] fresh = {false};
        lastDelivered.compute(alert.key(), (key, previous) -> {
            if (previous == null || !now.isBefore(previous.plus(dedupWindow))) {
                fresh[0] = true;
                return now;
            }
            return previous;
        });
        if (!fresh[0]) {
            LOG.debug("suppressed repeat of {} within {}", alert.key(), dedupWindow);
            return;
        }
        for (AlertSink sink : sinks) {
            try {
                sink.publish(alert);
            } catch (IOException | RuntimeException e) {
                LOG.error("alert {} could not be delivered to {}: {}. The alert was: {}", alert.key(), sink.describe(),
                        e.getMessage(), alert);
            }
        }
    }

    /** Forgets an alert key, so that the problem is reported again at once if it comes back (it was resolved). */
    public void resolved(String key) {
        lastDelivered.remove(key);
    }

    @Override
    public void close() {
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
