package dev.vigil.replay;

import dev.vigil.core.PartitionId;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.sketch.SketchShape;
import dev.vigil.replay.snapshot.SnapshotException;
import dev.vigil.replay.snapshot.Snapshots;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where in the repository a reference can start instead of LSN 1: snapshots, and for the judge's hash-only reference
 * hash-state checkpoints; and loading the newest that proves out, each one that does not told to {@code badSnapshots}.
 * Thread safe.
 */
final class StartingPoints {

    private static final Logger LOG = LoggerFactory.getLogger(StartingPoints.class);

    private final Optional<Snapshots> snapshots;
    private final Optional<HashCheckpoints> hashStates;
    private final Consumer<SnapshotException> badSnapshots;

    StartingPoints(
            Optional<Snapshots> snapshots,
            Optional<HashCheckpoints> hashStates,
            Consumer<SnapshotException> badSnapshots) {
        this.snapshots = snapshots;
        this.hashStates = hashStates;
        this.badSnapshots = badSnapshots;
    }

    /**
     * A starting point in the repository: a snapshot, or (for a hash-only reference) a hash-state checkpoint, which is a
     * fraction of a snapshot's size.
     */
    record Start(long lsn, boolean hashes) {}

    /**
     * The partition's starting points, newest first; at one LSN a hash-state checkpoint before the snapshot when
     * {@code withHashes}.
     */
    List<Start> of(PartitionId partition, boolean withHashes) throws IOException {
        List<Start> starts = new ArrayList<>();
        if (snapshots.isPresent()) {
            for (Snapshots.SnapshotRef ref : snapshots.get().list(partition)) {
                starts.add(new Start(ref.lsn(), false));
            }
        }
        if (withHashes && hashStates.isPresent()) {
            for (long lsn : hashStates.get().list(partition)) {
                starts.add(new Start(lsn, true));
            }
        }
        starts.sort(Comparator.comparingLong(Start::lsn)
                .thenComparing(Start::hashes)
                .reversed());
        return starts;
    }

    /** The first of {@code candidates} (newest first) that loads and proves out, into {@code location}. */
    Optional<ReferenceState> loadNewest(
            PartitionId partition,
            List<Start> candidates,
            ReferenceLocation location,
            DigestAlgorithm algorithm,
            int bucketBits,
            Optional<SketchShape> sketch)
            throws IOException {
        for (Start start : candidates) {
            try {
                if (start.hashes() && location instanceof ReferenceLocation.Work work) {
                    return Optional.of(
                            hashStates.orElseThrow().load(partition, start.lsn(), work, algorithm, bucketBits, sketch));
                }
                Snapshots store = snapshots.orElseThrow();
                return Optional.of(store.load(
                        store.manifest(new Snapshots.SnapshotRef(partition, start.lsn())),
                        location,
                        algorithm,
                        bucketBits,
                        sketch));
            } catch (SnapshotException e) {
                if (Thread.currentThread().isInterrupted()) {
                    // What failed was the interrupted read, not the snapshot: say nothing against it, try nothing
                    // older.
                    InterruptedIOException interrupted =
                            new InterruptedIOException("interrupted while loading snapshot " + e.key());
                    interrupted.initCause(e);
                    throw interrupted;
                }
                LOG.warn("{}; trying an older starting point", e.getMessage());
                badSnapshots.accept(e);
            }
        }
        return Optional.empty();
    }
}
