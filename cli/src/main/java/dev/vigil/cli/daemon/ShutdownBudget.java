package dev.vigil.cli.daemon;

import java.time.Duration;

/**
 * The time a stopping process has left: {@code daemon.shutdown-timeout} counted once, from the stop request, for
 * everything the stop does (running jobs, uploads, then alert delivery and closing), so that a service manager's stop
 * timeout set to it with a margin never has to kill the process. Measured on the monotonic clock. Immutable.
 */
public record ShutdownBudget(long deadlineNanos, Duration total) {

    /** A budget of {@code total} starting now. */
    public static ShutdownBudget start(Duration total) {
        return new ShutdownBudget(System.nanoTime() + total.toNanos(), total);
    }

    /** What is left (zero once spent). */
    public Duration left() {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }

    /** What is left before the last {@code reserve} of the budget (kept for what must still happen after). */
    public Duration leftBefore(Duration reserve) {
        Duration left = left().minus(reserve);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /**
     * The share kept for delivering the alerts raised while stopping and closing: a quarter of the total, at most
     * five seconds.
     */
    public Duration reserve() {
        return reserveOf(total);
    }

    /** {@link #reserve()} of a budget of {@code total}. */
    public static Duration reserveOf(Duration total) {
        Duration quarter = total.dividedBy(4);
        Duration cap = Duration.ofSeconds(5);
        return quarter.compareTo(cap) < 0 ? quarter : cap;
    }
}
