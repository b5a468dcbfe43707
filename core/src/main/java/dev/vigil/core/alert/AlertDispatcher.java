package dev.vigil.core.alert;

import dev.vigil.core.Durations;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers alerts to every configured sink as incidents. An alert of a {@linkplain AlertType#isCondition()
 * condition} opens an incident under its key (a {@code FIRING} notification); raised again while it is open, it is an
 * update, sent at most once per {@code repeatInterval} with the figures of the moment and the incident's first time
 * ({@code startsAt}); {@link #resolve} closes it with one {@code RESOLVED} notification. An event is sent once per key
 * within {@code repeatInterval}. So an outage that lasts ten minutes is one page and one all-clear per condition, not
 * one page per pass.
 *
 * <p>{@link #raise} never blocks the job that found the problem: notifications go into a bounded queue that one named
 * thread ({@code vigil-alerts-<name>}) delivers from, sink after sink; a sink that fails (after its own retries) is
 * logged and does not stop delivery to the others. When the queue is full the notification is dropped, logged in full
 * (the log is the last resort) and counted ({@link #dropped}). The same thread hands every open incident to the sinks
 * once per {@code refreshInterval} ({@link AlertSink#refresh}) and saves the open incidents to {@link OpenIncidents}
 * when they change, so that a restarted process neither pages an incident again nor forgets to resolve it.
 * {@link #close} delivers what is queued within its bound, then closes the sinks. Thread safe.
 */
public final class AlertDispatcher implements AlertPublisher, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AlertDispatcher.class);

    /** Notifications waiting for delivery before new ones are dropped. */
    public static final int DEFAULT_CAPACITY = 1_000;
    /** How long {@link #close} waits for queued notifications unless {@link #closeWithin} gave less. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /** How often open incidents are handed to the sinks again ({@link AlertSink#refresh}). */
    public static final Duration REFRESH_INTERVAL = Duration.ofMinutes(1);

    private final SinkFanOut sinks;
    private final Clock clock;
    private final Duration repeatInterval;
    private final OpenIncidents store;
    private final EventRepeats events;
    private final BlockingQueue<Queued> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong suppressed = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private final Thread deliverer;
    /** Open incidents by key, guarded by {@link #lock}. */
    private final Map<String, Incident> open = new LinkedHashMap<>();

    private long pending;
    private boolean dirty;
    /** {@link System#nanoTime()} by which {@link #close} must be done, once {@link #closeWithin} set it. */
    private volatile @Nullable Long closeDeadlineNanos;

    private volatile boolean closed;

    /** A dispatcher with the default queue that keeps its incidents in memory only. */
    public AlertDispatcher(String name, List<AlertSink> sinks, Clock clock, Duration repeatInterval) {
        this(name, sinks, clock, repeatInterval, DEFAULT_CAPACITY, OpenIncidents.inMemory(), REFRESH_INTERVAL);
    }

    /** A dispatcher with the default queue whose open incidents live in {@code store} across restarts. */
    public AlertDispatcher(
            String name, List<AlertSink> sinks, Clock clock, Duration repeatInterval, OpenIncidents store) {
        this(name, sinks, clock, repeatInterval, DEFAULT_CAPACITY, store, REFRESH_INTERVAL);
    }

    public AlertDispatcher(String name, List<AlertSink> sinks, Clock clock, Duration repeatInterval, int capacity) {
        this(name, sinks, clock, repeatInterval, capacity, OpenIncidents.inMemory(), REFRESH_INTERVAL);
    }

    /**
     * @param repeatInterval  an open incident is updated, and an event repeated, at most once per this
     * @param store           where open incidents are kept; those it holds are open again at once (and refreshed)
     * @param refreshInterval how often open incidents are handed to the sinks again
     */
    public AlertDispatcher(
            String name,
            List<AlertSink> sinks,
            Clock clock,
            Duration repeatInterval,
            int capacity,
            OpenIncidents store,
            Duration refreshInterval) {
        this.clock = clock;
        this.repeatInterval = repeatInterval;
        this.events = new EventRepeats(repeatInterval);
        this.store = store;
        this.queue = new ArrayBlockingQueue<>(capacity);
        for (OpenIncidents.Stored incident : store.load()) {
            // Saved incidents were notified before the restart (or the log says why not).
            open.put(incident.alert().key(), new Incident(incident.alert(), incident.lastNotified(), true));
        }
        // What was open before a restart is handed to the sinks again at once.
        this.sinks = new SinkFanOut(sinks, clock, refreshInterval, !open.isEmpty());
        this.deliverer =
                Thread.ofPlatform().name("vigil-alerts-" + name).daemon().unstarted(this::deliverLoop);
        deliverer.start();
    }

    /** A notification waiting for the delivery thread, and who waits for its delivery (if anyone). */
    private record Queued(Alert alert, @Nullable CompletableFuture<Boolean> delivered) {}

    @Override
    public void raise(Alert alert) {
        raise(alert, null);
    }

    /**
     * {@inheritDoc} An update of an open incident whose first notification (or a later one) reached every sink
     * completes with {@code true} at once; one whose notifications have not reached every sink yet is sent again,
     * whatever the repeat interval, so that a caller keeping an outbox sees it delivered or retries it.
     */
    @Override
    public CompletableFuture<Boolean> raiseDelivered(Alert alert) {
        CompletableFuture<Boolean> delivered = new CompletableFuture<>();
        raise(alert, delivered);
        return delivered;
    }

    private void raise(Alert alert, @Nullable CompletableFuture<Boolean> delivered) {
        Instant now = clock.instant();
        if (!alert.type().isCondition()) {
            raiseEvent(alert, now, delivered);
            return;
        }
        Alert toSend = null;
        boolean deliveredBefore = false;
        lock.lock();
        try {
            Incident incident = open.get(alert.key());
            if (incident == null) {
                open.put(alert.key(), new Incident(alert, now, false));
                dirty = true;
                toSend = alert;
            } else {
                incident.last = alert.update(incident.last.startsAt());
                deliveredBefore = incident.delivered;
                if (!now.isBefore(incident.lastNotified.plus(repeatInterval))
                        || (delivered != null && !incident.delivered)) {
                    incident.lastNotified = now;
                    toSend = incident.last;
                }
                dirty = true;
            }
        } finally {
            lock.unlock();
        }
        if (toSend == null) {
            suppressed.incrementAndGet();
            LOG.debug(
                    "incident {} still open; updated at most every {}", alert.key(), Durations.format(repeatInterval));
            if (delivered != null) {
                delivered.complete(deliveredBefore);
            }
            return;
        }
        enqueue(toSend, delivered);
    }

    private void raiseEvent(Alert alert, Instant now, @Nullable CompletableFuture<Boolean> delivered) {
        if (!events.fresh(alert.key(), now)) {
            suppressed.incrementAndGet();
            LOG.debug("suppressed repeat of {} within {}", alert.key(), Durations.format(repeatInterval));
            if (delivered != null) {
                delivered.complete(true);
            }
            return;
        }
        enqueue(alert, delivered);
    }

    @Override
    public void resolve(AlertResolution resolution) {
        List<Alert> resolved = new ArrayList<>();
        lock.lock();
        try {
            var entries = open.entrySet().iterator();
            while (entries.hasNext()) {
                Incident incident = entries.next().getValue();
                if (resolution.ends(incident.last)) {
                    entries.remove();
                    resolved.add(incident.last.resolved(resolution.at(), resolution.because()));
                    dirty = true;
                }
            }
        } finally {
            lock.unlock();
        }
        resolved.forEach(alert -> enqueue(alert, null));
    }

    /** The latest firing notification of every open incident, oldest incident first. */
    public List<Alert> openIncidents() {
        lock.lock();
        try {
            return open.values().stream().map(i -> i.last).toList();
        } finally {
            lock.unlock();
        }
    }

    private void enqueue(Alert alert, @Nullable CompletableFuture<Boolean> delivered) {
        lock.lock();
        try {
            if (closed || !queue.offer(new Queued(alert, delivered))) {
                dropped.incrementAndGet();
                LOG.error(
                        "alert dropped ({}): {}",
                        closed
                                ? "the dispatcher is closed"
                                : "the delivery queue of " + (queue.size() + queue.remainingCapacity())
                                        + " is full: the sinks are slower than the alerts",
                        alert);
                if (delivered != null) {
                    delivered.complete(false);
                }
                return;
            }
            pending++;
        } finally {
            lock.unlock();
        }
    }

    private void deliverLoop() {
        while (true) {
            Queued alert;
            try {
                alert = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (alert != null) {
                deliver(alert);
            }
            saveIfChanged();
            sinks.refreshIfDue(this::openIncidents);
            if (alert == null && closed && queue.isEmpty()) {
                return;
            }
        }
    }

    private void deliver(Queued queued) {
        Alert alert = queued.alert();
        boolean everySink = sinks.publish(alert);
        lock.lock();
        try {
            if (everySink && alert.type().isCondition()) {
                Incident incident = open.get(alert.key());
                if (incident != null) {
                    incident.delivered = true;
                }
            }
            pending--;
            if (pending == 0) {
                idle.signalAll();
            }
        } finally {
            lock.unlock();
        }
        // After the incident is marked: whoever waits on it may raise it again at once and must find it delivered.
        if (queued.delivered() != null) {
            queued.delivered().complete(everySink);
        }
    }

    private void saveIfChanged() {
        List<OpenIncidents.Stored> snapshot;
        lock.lock();
        try {
            if (!dirty) {
                return;
            }
            dirty = false;
            snapshot = open.values().stream()
                    .map(i -> new OpenIncidents.Stored(i.last, i.lastNotified))
                    .toList();
        } finally {
            lock.unlock();
        }
        try {
            store.save(snapshot);
        } catch (IOException e) {
            markChanged(); // tried again after the next change, or at close
            LOG.warn(
                    "cannot save the {} open incident(s) to {} ({}); after a restart they are paged again",
                    snapshot.size(),
                    store.describe(),
                    e.getMessage());
        }
    }

    private void markChanged() {
        lock.lock();
        try {
            dirty = true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until every notification made so far has been handed to every sink, for at most {@code timeout}.
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

    /** Notifications dropped because the queue was full (or made after close). */
    public long dropped() {
        return dropped.get();
    }

    /** Repeats not sent: updates of an open incident or events within the repeat interval. */
    public long suppressed() {
        return suppressed.get();
    }

    /** Notifications made and not yet handed to every sink. */
    public long pending() {
        lock.lock();
        try {
            return pending;
        } finally {
            lock.unlock();
        }
    }

    /**
     * From now on, {@link #close} delivers what is queued for {@code budget} from now at the latest: a process that
     * must stop within its shutdown timeout gives the alerts what is left of it.
     */
    public void closeWithin(Duration budget) {
        this.closeDeadlineNanos = System.nanoTime() + Math.max(0, budget.toNanos());
    }

    /**
     * Delivers what is queued within {@link #CLOSE_TIMEOUT} (or within what is left of the budget {@link #closeWithin} gave, if less),
     * saves the open incidents, stops the delivery thread and closes the sinks. Notifications still queued after the
     * bound are logged. Idempotent; restores the interrupt flag if interrupted meanwhile.
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
        Duration bound = bound();
        try {
            if (!flush(bound)) {
                LOG.error(
                        "{} alert notification(s) could not be delivered within {}: {}",
                        pending(),
                        Durations.format(bound),
                        List.copyOf(queue));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            // The delivery thread ends by itself once the queue is empty (within its 100 ms poll); one still busy
            // with a sink after the bound is interrupted.
            deliverer.join(Math.max(1, Math.min(TimeUnit.SECONDS.toMillis(1), bound().toMillis())));
            if (deliverer.isAlive()) {
                deliverer.interrupt();
                deliverer.join(Math.max(1, Math.min(TimeUnit.SECONDS.toMillis(5), bound().toMillis())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Queued> undelivered = new ArrayList<>();
        queue.drainTo(undelivered);
        undelivered.stream()
                .map(Queued::delivered)
                .filter(java.util.Objects::nonNull)
                .forEach(waiting -> waiting.complete(false));
        saveIfChanged();
        sinks.close();
    }

    private Duration bound() {
        Long deadline = closeDeadlineNanos;
        if (deadline == null) {
            return CLOSE_TIMEOUT;
        }
        Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        return left.compareTo(CLOSE_TIMEOUT) < 0 ? left : CLOSE_TIMEOUT;
    }

    /** One open incident: its latest notification and when a notification of it was last sent. */
    private static final class Incident {
        Alert last;
        Instant lastNotified;
        /** Whether a notification of it reached every sink. */
        boolean delivered;

        Incident(Alert last, Instant lastNotified, boolean delivered) {
            this.last = last;
            this.lastNotified = lastNotified;
            this.delivered = delivered;
        }
    }

    /** The open incident with this key, if any. */
    public Optional<Alert> incident(String key) {
        lock.lock();
        try {
            return Optional.ofNullable(open.get(key)).map(i -> i.last);
        } finally {
            lock.unlock();
        }
    }
}
