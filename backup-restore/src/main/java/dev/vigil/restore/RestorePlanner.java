package dev.vigil.restore;

import dev.vigil.core.PartitionId;
import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.replay.snapshot.Snapshots;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * What a restore target means in LSNs: the exact LSN of {@code --to-lsn} (refused beyond the archive's end), the newest
 * record at or before {@code --to-time} on the chain reachable without a gap, or the newest point of {@code --latest}
 * (a segment or a snapshot). Reads the repository; changes nothing.
 */
final class RestorePlanner {

    private final ObjectStore store;
    private final Repository repository;
    private final Snapshots snapshots;

    RestorePlanner(Repository repository, Snapshots snapshots) {
        this.store = repository.store();
        this.repository = repository;
        this.snapshots = snapshots;
    }

    /** The LSN a target means, and a warning when that is not quite what was asked for. */
    record Plan(long lsn, Optional<String> warning) {}

    Plan plan(PartitionId partition, RestoreTarget target) throws IOException {
        List<ArchivedSegment> segments = repository.archive(partition).segments();
        List<ArchivedSegment> chain = PointInTime.chain(segments);
        Optional<Snapshots.SnapshotRef> newest =
                snapshots.list(partition).stream().reduce((a, b) -> b);
        long archived = segments.stream().mapToLong(s -> s.range().last()).max().orElse(0);
        long end = Math.max(archived, newest.map(Snapshots.SnapshotRef::lsn).orElse(0L));
        return switch (target) {
            case RestoreTarget.ToLsn lsn -> {
                if (end == 0) {
                    throw nothingArchived(partition);
                }
                if (lsn.lsn() > end) {
                    throw new RestoreException(
                            RestoreException.Kind.USAGE,
                            "partition " + partition + ": LSN "
                                    + lsn.lsn() + " is beyond the end of the archive in " + store.describe()
                                    + ", which ends at"
                                    + " LSN " + end
                                    + (newest.isPresent() && newest.get().lsn() == end ? " (a snapshot)" : "")
                                    + ". Restore to LSN " + end
                                    + " or earlier (--latest); if the node has written further, its"
                                    + " daemon archives the rest once the segments are sealed.",
                            null);
                }
                yield new Plan(lsn.lsn(), Optional.empty());
            }
            case RestoreTarget.ToTime time -> {
                PointInTime.Match match = new PointInTime(store).match(partition, chain, time.time());
                Optional<String> warning = Optional.empty();
                if (match.newest() && time.time().isAfter(match.recordTime())) {
                    warning = Optional.of("--to-time " + time.time() + " is after the newest archived record"
                            + (chain.getLast().range().last() < archived ? " reachable without a gap" : "") + " (LSN "
                            + match.lsn() + ", written " + match.recordTime()
                            + "): restoring to that record. Anything the"
                            + " node wrote later is not archived yet.");
                }
                yield new Plan(match.lsn(), warning);
            }
            case RestoreTarget.Latest latest -> {
                long best = Math.max(
                        chain.isEmpty() ? 0 : chain.getLast().range().last(),
                        newest.map(Snapshots.SnapshotRef::lsn).orElse(0L));
                if (best == 0) {
                    throw nothingArchived(partition);
                }
                yield new Plan(best, Optional.empty());
            }
        };
    }

    private RestoreException nothingArchived(PartitionId partition) {
        return new RestoreException(
                RestoreException.Kind.USAGE,
                "partition " + partition + " has nothing archived in " + store.describe()
                        + " (no segment, no snapshot)",
                null);
    }
}
