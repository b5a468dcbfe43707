package dev.vigil.restore;

import dev.vigil.core.repository.ArchivedSegment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which archived segments and snapshots a partition can lose without breaking a restore to any point of the
 * window. A pure function of the listing, so it can be property-tested against generated histories.
 *
 * <p>The reasoning: a record is never archived before it is written, so every record written at or after
 * {@code now - window} lies in a segment archived at or after that cutoff. Let W be the first such segment (in
 * LSN order); the window's points are the states at LSNs {@code W.first - 1} and later (or only the latest state
 * when no segment is that recent). A restore to such a point needs a starting snapshot at or below it and every
 * segment after that snapshot, so the newest snapshot B at or below {@code W.first - 1} is the base: segments that
 * end at or before B and snapshots older than B may go, except the newest {@code keepSnapshots} snapshots, which
 * always stay. Without such a snapshot nothing is deleted but older, uncommitted snapshot leftovers.
 */
public final class RetentionPolicy {

    private final Duration window;
    private final int keepSnapshots;

    public RetentionPolicy(Duration window, int keepSnapshots) {
        this.window = window;
        this.keepSnapshots = keepSnapshots;
    }

    /**
     * The plan: what to delete, the base snapshot the window rests on, and the LSN of the window's oldest point
     * (every LSN from there on must stay restorable).
     */
    public record Plan(
            List<ArchivedSegment> expiredSegments,
            List<Long> expiredSnapshots,
            Optional<Long> baseSnapshot,
            long windowStartLsn) {}

    /**
     * What to expire now.
     *
     * @param segments  the partition's archived segments, any order (their last-modified time is when they were archived)
     * @param snapshots LSNs of its committed snapshots
     */
    public Plan plan(List<ArchivedSegment> segments, Set<Long> snapshots, Instant now) {
        List<ArchivedSegment> sorted = new ArrayList<>(segments);
        sorted.sort(Comparator.comparingLong((ArchivedSegment s) -> s.range().first())
                .thenComparingLong(s -> s.range().last()));
        TreeSet<Long> committed = new TreeSet<>(snapshots);
        Instant cutoff = now.minus(window);
        long end = sorted.stream().mapToLong(s -> s.range().last()).max().orElse(0);
        long windowStart = sorted.stream()
                .filter(s -> !s.lastModified().isBefore(cutoff))
                .mapToLong(s -> s.range().first() - 1)
                .min()
                .orElse(Math.max(end, committed.isEmpty() ? 0 : committed.last()));
        Optional<Long> base = Optional.ofNullable(committed.floor(windowStart));
        if (base.isEmpty()) {
            return new Plan(List.of(), List.of(), Optional.empty(), windowStart);
        }
        long b = base.get();
        List<ArchivedSegment> expired =
                sorted.stream().filter(s -> s.range().last() <= b).toList();
        Set<Long> kept = new TreeSet<>(
                committed.descendingSet().stream().limit(keepSnapshots).toList());
        List<Long> expiredSnapshots = committed.headSet(b, false).stream()
                .filter(l -> !kept.contains(l))
                .toList();
        return new Plan(expired, expiredSnapshots, base, windowStart);
    }
}
