package dev.vigil.archiver;

import dev.vigil.core.PartitionId;
import dev.vigil.core.config.ArchiveConfig;
import dev.vigil.core.config.NodeConfig;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiPredicate;
import org.jspecify.annotations.Nullable;

/**
 * Which partitions a pass looks at. Without a {@link WalWatch} (one pass of {@code vigil archive}, or
 * {@code archive.rescan-interval: 0s}) every pass discovers and plans every partition. With one (the daemon), a pass
 * plans only the partitions whose WAL directory gained a sealed segment, those with work in hand, and those whose
 * continuity check is due; every other partition is reported from its last quiet pass, without a file system call.
 * Everything is discovered and planned again on the first pass, every {@code archive.rescan-interval}, and whenever
 * the watch asks (a partition appeared or went, events were lost, a directory could not be watched). Thread safe.
 */
final class PassScope implements AutoCloseable {

    /**
     * One pass's partitions: every partition the node has, those whose WAL directory gained a sealed segment, and
     * whether every partition must be planned regardless.
     */
    record Scope(List<LocalPartition> all, Set<PartitionId> changed, boolean everything, Instant at) {

        /** Whether a quiet partition is planned anyway in this pass: it changed, or its continuity check is due. */
        boolean plans(PartitionId partition, BiPredicate<PartitionId, Instant> continuityDue) {
            return everything || changed.contains(partition) || continuityDue.test(partition, at);
        }
    }

    private final NodeConfig node;
    private final ArchiveConfig settings;
    private final AtomicBoolean passRequested = new AtomicBoolean();
    private final Map<PartitionId, PartitionReport> quiet = new ConcurrentHashMap<>();
    private volatile @Nullable WalWatch watch;
    private volatile List<LocalPartition> known = List.of();
    private volatile Instant lastFullScan = Instant.MIN;

    PassScope(NodeConfig node, ArchiveConfig settings) {
        this.node = node;
        this.settings = settings;
    }

    /** Starts watching; see {@link Archiver#watch}. Many changes before the next pass ask for one pass. */
    synchronized void watch(Runnable onChange) throws IOException {
        if (watch != null || settings.rescanInterval().isZero()) {
            return;
        }
        watch = WalWatch.start(node.roots(), "vigil-wal-watch-" + node.replica(), () -> {
            if (passRequested.compareAndSet(false, true)) {
                onChange.run();
            }
        });
    }

    /**
     * The scope of a pass starting {@code now}: every partition (discovered afresh when due), which of them changed,
     * and whether everything must be planned.
     *
     * @throws IOException when the node's roots cannot be listed
     */
    Scope begin(Instant now) throws IOException {
        passRequested.set(false);
        WalWatch current = watch; // one view of it for the whole pass, even if watching starts meanwhile
        boolean due = lastFullScan.equals(Instant.MIN)
                || settings.rescanInterval().isZero()
                || Duration.between(lastFullScan, now).compareTo(settings.rescanInterval()) >= 0;
        boolean discovered = false;
        if (current == null || due || current.rescanPending()) {
            known = PartitionDiscovery.discover(node);
            lastFullScan = now;
            discovered = true;
            Set<PartitionId> present = new HashSet<>();
            known.forEach(p -> present.add(p.partition()));
            quiet.keySet().retainAll(present); // a partition removed from the node is forgotten
            if (current != null) {
                current.track(known);
            }
        }
        if (current == null) {
            return new Scope(known, Set.of(), true, now);
        }
        WalWatch.Changes changes = current.drain();
        return new Scope(known, changes.partitions(), changes.rescan() || discovered, now);
    }

    /** The report of the partition's last quiet pass, if it has been quiet since. */
    @Nullable
    PartitionReport quiet(PartitionId partition) {
        return quiet.get(partition);
    }

    /** Keeps a quiet partition's report to stand for it in later passes, until its WAL directory changes. */
    void finished(PartitionId partition, PartitionReport report) {
        boolean nothingHappened = report.uploaded() == 0
                && report.alreadyArchived() == 0
                && report.failed() == 0
                && report.lagBytes() == 0
                && report.delayedGaps().isEmpty()
                && report.lostGaps().isEmpty()
                && report.findings().isEmpty()
                && report.errors().isEmpty();
        if (nothingHappened && watch != null) {
            quiet.put(partition, report);
        } else {
            quiet.remove(partition);
        }
    }

    @Override
    public void close() throws IOException {
        WalWatch current = watch;
        if (current != null) {
            current.close();
        }
    }
}
