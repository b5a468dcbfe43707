package dev.vigil.fleet;

import dev.vigil.core.PartitionId;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Work that records what it is given: how often each partition was verified, and any partition verified by two
 * workers at once (which must never happen). Failing partitions throw the given number of times first.
 */
final class RecordingWork implements FleetWork {

    final Set<PartitionId> partitions = ConcurrentHashMap.newKeySet();
    final Map<PartitionId, AtomicInteger> verified = new ConcurrentHashMap<>();
    final Map<PartitionId, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
    final Set<PartitionId> overlapping = ConcurrentHashMap.newKeySet();
    final Map<PartitionId, AtomicInteger> archiveVerified = new ConcurrentHashMap<>();
    final Map<PartitionId, AtomicInteger> snapshotted = new ConcurrentHashMap<>();
    private final Set<PartitionId> inFlight = ConcurrentHashMap.newKeySet();
    /** Partitions whose verification waits until {@link #release} is counted down. */
    final Set<PartitionId> held = ConcurrentHashMap.newKeySet();

    final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);

    @Override
    public Set<PartitionId> partitions() {
        return Set.copyOf(partitions);
    }

    @Override
    public String verifyPartition(PartitionId partition) throws Exception {
        if (!inFlight.add(partition)) {
            overlapping.add(partition);
        }
        try {
            if (held.contains(partition)) {
                release.await();
            }
            AtomicInteger left = failuresLeft.get(partition);
            if (left != null && left.getAndDecrement() > 0) {
                throw new java.io.IOException("simulated failure of " + partition.value());
            }
            verified.computeIfAbsent(partition, p -> new AtomicInteger()).incrementAndGet();
            return "ok";
        } finally {
            inFlight.remove(partition);
        }
    }

    /** Counts archive verifications apart from partition verifications. */
    @Override
    public String verifyArchive(PartitionId partition) {
        archiveVerified.computeIfAbsent(partition, p -> new AtomicInteger()).incrementAndGet();
        return "ok";
    }

    @Override
    public String snapshotPartition(PartitionId partition) {
        snapshotted.computeIfAbsent(partition, p -> new AtomicInteger()).incrementAndGet();
        return "nothing new";
    }

    int count(PartitionId partition) {
        AtomicInteger n = verified.get(partition);
        return n == null ? 0 : n.get();
    }
}
