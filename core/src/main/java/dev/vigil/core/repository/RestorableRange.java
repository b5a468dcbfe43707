package dev.vigil.core.repository;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The LSNs a partition can be restored to right now, every one of them: from a starting point (LSN 0 when the
 * archive begins at LSN 1, or a committed snapshot) through the contiguous run of archived segments after it.
 * A snapshot older than the archive's first segment is restorable only at its own LSN and is not counted.
 *
 * @param oldestLsn the lowest LSN whose state can be restored (0: the empty state before LSN 1)
 * @param newestLsn the highest
 */
public record RestorableRange(long oldestLsn, long newestLsn) {

    /** From the partition's archived segments (sorted by range) and the LSNs of its committed snapshots. */
    public static Optional<RestorableRange> of(List<ArchivedSegment> sorted, Collection<Long> snapshots) {
        TreeSet<Long> committed = new TreeSet<>(snapshots);
        List<ArchivedSegment> chain = Continuity.chain(sorted);
        if (chain.isEmpty()) {
            return committed.isEmpty()
                    ? Optional.empty()
                    : Optional.of(new RestorableRange(committed.last(), committed.last()));
        }
        long first = chain.getFirst().range().first();
        long end = chain.getLast().range().last();
        if (first == 1 || committed.contains(first - 1)) {
            return Optional.of(new RestorableRange(first - 1, end));
        }
        Long start = committed.ceiling(first);
        return start == null || start > end ? Optional.empty() : Optional.of(new RestorableRange(start, end));
    }
}
