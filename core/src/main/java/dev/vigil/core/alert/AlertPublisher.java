package dev.vigil.core.alert;

import java.util.concurrent.CompletableFuture;

/**
 * What services raise alerts through. Raising never throws: an alert that cannot be delivered is logged
 * (the log is the last resort), because a failing alert path must not stop the work that found the problem.
 *
 * <p>An alert of a {@linkplain AlertType#isCondition() condition} type says that the condition holds now: the first
 * one opens an incident, later ones with the same key update it. The raiser that sees the condition end calls
 * {@link #resolve}, so that the incident is closed once, with a resolved notification. An event is reported as
 * raised.
 */
@FunctionalInterface
public interface AlertPublisher {

    void raise(Alert alert);

    /**
     * Raises {@code alert} as {@link #raise} does and says when it has been delivered: the future completes with
     * {@code true} once every sink took it (or, for a condition, once an earlier notification of the same incident
     * was taken and this one is only an update), and with {@code false} when it could not be delivered (a sink
     * failed, the queue was full, the publisher is closed). It never completes exceptionally. A caller that keeps a
     * record of the alert until it is delivered (an outbox) removes it on {@code true} only. This default, for
     * publishers that deliver as they raise, completes at once.
     */
    default CompletableFuture<Boolean> raiseDelivered(Alert alert) {
        raise(alert);
        return CompletableFuture.completedFuture(true);
    }

    /**
     * Ends the open incidents {@code resolution} names; an incident that is not open (never raised, or resolved
     * already) is not notified again. Never throws. A publisher that keeps no incidents (a test's recorder, a
     * benchmark's no-op) ignores it.
     */
    default void resolve(AlertResolution resolution) {}
}
