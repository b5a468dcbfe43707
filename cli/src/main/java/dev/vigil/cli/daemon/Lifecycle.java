package dev.vigil.cli.daemon;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;

/**
 * The life of a long-running process (the daemon, a fleet worker): NEW → STARTING → RUNNING → STOPPING → STOPPED,
 * each step taken only from the state before it (compare and set, under the lifecycle's lock), so a stop asked for
 * twice (SIGTERM and the shutdown hook) runs once, and one asked for while starting is not lost. The stop's budget is counted from the moment the stop began. Thread safe.
 */
final class Lifecycle {

    /** Where the process is. */
    enum State {
        NEW,
        STARTING,
        RUNNING,
        STOPPING,
        STOPPED
    }

    private final Duration shutdownTimeout;
    private volatile State state = State.NEW;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile @Nullable ShutdownBudget budget;

    Lifecycle(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    /** The whole shutdown timeout, as configured. */
    Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    State state() {
        return state;
    }

    private synchronized boolean compareAndSet(State expected, State next) {
        if (state != expected) {
            return false;
        }
        state = next;
        return true;
    }

    /** NEW → STARTING. */
    void starting() {
        compareAndSet(State.NEW, State.STARTING);
    }

    /** STARTING (or NEW) → RUNNING; a process asked to stop meanwhile stays stopping. */
    void running() {
        if (!compareAndSet(State.STARTING, State.RUNNING)) {
            compareAndSet(State.NEW, State.RUNNING);
        }
    }

    /** Whether a stop has begun (or ended): the process takes no new work and says so on {@code /health}. */
    boolean stopping() {
        return state.compareTo(State.STOPPING) >= 0;
    }

    /**
     * Begins the stop, once: the budget of this stop for the caller that won, empty for every later caller (the
     * stop is already under way, or over).
     */
    Optional<ShutdownBudget> beginStop() {
        synchronized (this) {
            if (stopping()) {
                return Optional.empty();
            }
            state = State.STOPPING;
            ShutdownBudget started = ShutdownBudget.start(shutdownTimeout);
            budget = started;
            return Optional.of(started);
        }
    }

    /** STOPPING → STOPPED: whoever waits in {@link #awaitStopped} goes on. */
    void stopped() {
        state = State.STOPPED;
        stopped.countDown();
    }

    /** Blocks until the stop has finished. */
    void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    /** What is left of the shutdown timeout: all of it before a stop began. */
    Duration shutdownLeft() {
        ShutdownBudget spent = budget;
        return spent == null ? shutdownTimeout : spent.left();
    }
}
