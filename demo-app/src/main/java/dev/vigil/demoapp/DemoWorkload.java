package dev.vigil.demoapp;

import dev.vigil.core.wal.WalRecord;
import dev.vigil.demo.node.Divergence;
import dev.vigil.demo.node.ReplicationGroup;
import dev.vigil.demo.node.SimulatedReplica;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The demo's storage nodes under continuous writes: a replication group of three RocksDB replicas writing real
 * WAL, fed a batch of mutations every {@link #TICK} by one named thread, with a time-bound seal every
 * {@link #SEAL_EVERY}. Every access to the group goes through this class's lock, so faults can be planted while it
 * writes. Thread safe.
 */
final class DemoWorkload implements AutoCloseable {

    static final Duration TICK = Duration.ofMillis(100);
    static final Duration SEAL_EVERY = Duration.ofSeconds(2);

    private final ReplicationGroup group;
    private final int batch;
    private final Clock clock;
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("vigil-demo-writer").daemon(true).factory());
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private Instant lastSeal;
    private boolean writing;

    DemoWorkload(ReplicationGroup group, int batch, Clock clock) {
        this.group = group;
        this.batch = batch;
        this.clock = clock;
        this.lastSeal = clock.instant();
    }

    /** Starts writing a batch every tick. */
    synchronized void start() {
        writing = true;
        // Runs until the executor is shut down; tick() handles its own failures, so the future carries nothing.
        var unused = writer.scheduleAtFixedRate(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tick() {
        synchronized (this) {
            if (!writing) {
                return;
            }
            try {
                group.write(batch);
                if (!clock.instant().isBefore(lastSeal.plus(SEAL_EVERY))) {
                    group.sealAll();
                    lastSeal = clock.instant();
                }
            } catch (IOException | RuntimeException e) {
                failure.compareAndSet(null, e);
                writing = false;
            }
        }
    }

    /** The next LSN the group writes. */
    synchronized long nextLsn() {
        return group.history().size() + 1L;
    }

    /** Plans {@code divergence} on {@code replica} a little ahead of the writer; returns the LSN it hits. */
    synchronized long diverge(String replica, Divergence divergence, int ahead) {
        long lsn = nextLsn() + ahead;
        group.diverge(replica, lsn, divergence);
        return lsn;
    }

    /** The record logged at {@code lsn} (which must be written). */
    synchronized WalRecord record(long lsn) {
        return group.history().get((int) (lsn - 1));
    }

    /** A replica of the group (touch it only while the workload is stopped). */
    synchronized SimulatedReplica replica(String id) {
        return group.replica(id);
    }

    /** The group's state after {@code lsn}: the oracle a restore is compared with. */
    synchronized Map<String, byte[]> stateAt(long lsn) {
        return group.stateAt(lsn);
    }

    /** Stops writing and seals every replica's open segment; returns the last LSN written. */
    synchronized long stop() throws IOException {
        writing = false;
        group.sealAll();
        rethrowFailure();
        return group.history().size();
    }

    /** Throws what stopped the writer, if it stopped by itself. */
    void rethrowFailure() {
        Throwable failed = failure.get();
        if (failed != null) {
            throw new UncheckedIOException(
                    new IOException("the demo's storage nodes stopped writing: " + failed.getMessage(), failed));
        }
    }

    @Override
    public void close() throws IOException {
        writer.shutdownNow();
        try {
            if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
                throw new IOException("the demo writer did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
