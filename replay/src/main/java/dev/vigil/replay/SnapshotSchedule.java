package dev.vigil.replay;

import dev.vigil.core.PartitionId;
import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.replay.snapshot.SnapshotException;
import dev.vigil.replay.snapshot.SnapshotMismatchException;
import dev.vigil.replay.snapshot.Snapshots;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a replay writes snapshots (and, for the judge's hash-only reference, hash-state checkpoints just before them): counts the archive bytes replayed since the newest snapshot at or below the replay's
 * start and writes one each time {@code reference.snapshot-every} bytes have accumulated, at a segment boundary,
 * merged from the previous snapshot and the archive and published only if its digest is the reference's. A snapshot
 * that cannot be written is logged and tried again at the next segment; the replay goes on (the reference itself is
 * fine); one that disagrees with the reference is also told to the listener (an alert). Created once per replay; not
 * thread safe.
 */
final class SnapshotSchedule {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotSchedule.class);

    private final Optional<Snapshots> snapshots;
    private final Optional<HashCheckpoints> hashStates;
    private final Consumer<SnapshotException> badSnapshots;
    private final long every;
    private long since;
    private long total;

    private SnapshotSchedule(
            Optional<Snapshots> snapshots,
            Optional<HashCheckpoints> hashStates,
            Consumer<SnapshotException> badSnapshots,
            long every,
            long since,
            long total) {
        this.snapshots = snapshots;
        this.hashStates = hashStates;
        this.badSnapshots = badSnapshots;
        this.every = every;
        this.since = since;
        this.total = total;
    }

    /**
     * The schedule of a replay of {@code partition} starting at {@code from} over {@code segments}: never writes when
     * there is neither a snapshot store nor a checkpoint store, or {@code every} is not positive; without a snapshot
     * store (a fleet's judge, whose snapshots are a task of their own) it writes checkpoints only. {@code badSnapshots} hears of a snapshot a merge
     * could not start from, and of a merged one that was not published because it disagrees with the reference.
     */
    static SnapshotSchedule start(
            Optional<Snapshots> snapshots,
            Optional<HashCheckpoints> hashStates,
            Consumer<SnapshotException> badSnapshots,
            long every,
            PartitionId partition,
            long from,
            List<ArchivedSegment> segments)
            throws IOException {
        if ((snapshots.isEmpty() && hashStates.isEmpty()) || every <= 0) {
            return new SnapshotSchedule(Optional.empty(), Optional.empty(), badSnapshots, 0, 0, 0);
        }
        long last = 0;
        if (snapshots.isPresent()) {
            last = snapshots
                    .get()
                    .latestAtOrBelow(partition, from)
                    .map(Snapshots.SnapshotRef::lsn)
                    .orElse(0L);
        } else {
            for (long checkpoint : hashStates.orElseThrow().list(partition)) {
                if (checkpoint <= from) {
                    last = checkpoint;
                }
            }
        }
        long since = 0;
        long total = 0;
        for (ArchivedSegment segment : segments) {
            if (segment.range().last() <= from) {
                total += segment.size();
                if (segment.range().first() > last) {
                    since += segment.size();
                }
            }
        }
        return new SnapshotSchedule(snapshots, hashStates, badSnapshots, every, since, total);
    }

    /** The reference has just replayed all of {@code segment}: writes a checkpoint and a snapshot if one is due. */
    void segmentDone(ArchivedSegment segment, ReferenceState reference) {
        since += segment.size();
        total += segment.size();
        if ((snapshots.isEmpty() && hashStates.isEmpty()) || since < every) {
            return;
        }
        if (hashStates.isPresent() && reference.layout() == ReferenceLocation.Layout.HASHES) {
            try {
                hashStates.get().publish(reference);
                if (snapshots.isEmpty()) {
                    since = 0;
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn(
                        "could not write the hash state of {} at LSN {}: {}",
                        reference.partition(),
                        reference.lsn(),
                        e.getMessage());
            }
        }
        if (snapshots.isEmpty()) {
            return;
        }
        try {
            snapshots.get().publish(reference.partition(), reference.lsn(), reference.digest(), total, badSnapshots);
            since = 0;
        } catch (SnapshotMismatchException e) {
            LOG.error("{}", e.getMessage());
            badSnapshots.accept(e);
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "could not write the snapshot of {} at LSN {}: {}",
                    reference.partition(),
                    reference.lsn(),
                    e.getMessage());
        }
    }
}
