package dev.vigil.core.alert;

import dev.vigil.core.Durations;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers alerts to every configured sink, suppressing an alert whose key was raised less than
 * {@code dedupWindow} ago (the same lost segment is not paged every ten seconds). {@link #raise} never blocks the job
 * that found the problem: it puts the alert in a bounded queue that one named thread ({@code vigil-alerts-<name>})
 * delivers from, sink after sink; a sink that fails (after its own retries) is logged and does not stop delivery to the
 * others. When the queue is full the alert is dropped, logged in full (the log is the last resort) and counted
 * ({@link #dropped}). {@link #close} delivers what is queued, within a bound, then closes the sinks. Thread safe.
 */
public final class AlertDispatcher implements AlertPublisher, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AlertDispatcher.class);

    /** Alerts waiting for delivery before new ones are dropped. */
    public static final int DEFAULT_CAPACITY = 1_000;
    /** How long {@link #close} waits for queued alerts to be delivered. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final List<AlertSink> sinks;
    private final Clock clock;
    private final Duration dedupWindow;
    private final Map<String, Instant> lastRaised = new ConcurrentHashMap<>();
    private final BlockingQueue<Alert> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private final Thread deliverer;
    private long pending;
    private volatile boolean closed;

    /** A dispatcher with the default queue, delivering on a thread named {@code vigil-alerts-<name>}. */
    public AlertDispatcher(String name, List<AlertSink> sinks, Clock clock, Duration dedupWindow) {
        this(name, sinks, clock, dedupWindow, DEFAULT_CAPACITY);
    }

    public AlertDispatcher(String name, List<AlertSink> sinks, Clock clock, Duration dedupWindow, int capacity) {
        this.sinks = List.copyOf(sinks);
        this.clock = clock;
        this.dedupWindow = dedupWindow;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.deliverer =
                Thread.ofPlatform().name("vigil-alerts-" + name).daemon().unstarted(this::deliverLoop);
        deliverer.start();
    }

    @Override
    public void raise(Alert alert) {
        Instant now = clock.instant();
        boolean[] fresh = {false};
        lastRaised.compute(alert.key(), (key, previous) -> {
            if (previous == null || !now.isBefore(previous.plus(dedupWindow))) {
                fresh[0] = true;
                return now;
            }
            return previous;
        });
        if (!fresh[0]) {
            LOG.debug("suppressed repeat of {} within {}", alert.key(), Durations.format(dedupWindow));
            return;
        }
        lock.lock();
        try {
            if (closed || !queue.offer(alert)) {
                dropped.incrementAndGet();
                LOG.error(
                        "alert dropped ({}): {}",
                        closed
                                ? "the dispatcher is closed"
                                : "the delivery queue of " + (queue.size() + queue.remainingCapacity())
                                        + " is full: the sinks are slower than the alerts",
                        alert);
                return;
            }
            pending++;
        } finally {
            lock.unlock();
        }
    }

    private void deliverLoop() {
        while (true) {
            Alert alert;
            try {
                alert = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (alert == null) {
                if (closed && queue.isEmpty()) {
                    return;
                }
                continue;
            }
            for (AlertSink sink : sinks) {
                try {
                    sink.publish(alert);
                } catch (IOException | RuntimeException e) {
                    LOG.error(
                            "alert {} could not be delivered to {}: {}. The alert was: {}",
                            alert.key(),
                            sink.describe(),
                            e.getMessage(),
                            alert);
                }
            }
            lock.lock();
            try {
                pending--;
                if (pending == 0) {
                    idle.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Waits until every alert raised so far has been handed to every sink, for at most {@code timeout}.
     *
     * @return whether everything was delivered in time
     */
    public boolean flush(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (pending > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                idle.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Alerts dropped because the queue was full (or raised after close). */
    public long dropped() {
        return dropped.get();
    }

    /** Alerts raised and not yet handed to every sink. */
    public long pending() {
        lock.lock();
        try {
            return pending;
        } finally {
            lock.unlock();
        }
    }

    /** Forgets an alert key, so that the problem is reported again at once if it comes back (it was resolved). */
    public void resolved(String key) {
        lastRaised.remove(key);
    }

    /**
     * Delivers what is queued within {@link #CLOSE_TIMEOUT}, stops the delivery thread and closes the sinks. Alerts
     * still queued after the bound are logged. Idempotent; restores the interrupt flag if interrupted meanwhile.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            lock.unlock();
        }
        try {
            if (!flush(CLOSE_TIMEOUT)) {
                LOG.error(
                        "{} alert(s) could not be delivered within {}: {}",
                        pending(),
                        Durations.format(CLOSE_TIMEOUT),
                        List.copyOf(queue));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deliverer.interrupt();
        try {
            deliverer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
