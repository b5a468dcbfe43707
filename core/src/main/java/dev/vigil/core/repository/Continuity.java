package dev.vigil.core.repository;

import dev.vigil.core.LsnRange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Gaps and overlaps in a partition's archive. The archive of a partition should be one contiguous run of
 * LSNs; a gap is a range of LSNs between two archived segments that no segment covers, and an overlap is
 * two segments covering some of the same LSNs (replicas that sealed at different LSNs).
 */
public final class Continuity {

    /** LSNs missing between two archived segments; {@code since} is when the segment after the gap was archived. */
    public record Gap(LsnRange missing, Instant since) {}

    /** Two archived segments whose ranges intersect. */
    public record Overlap(ArchivedSegment first, ArchivedSegment second) {
        public LsnRange common() {
            return new LsnRange(
                    Math.max(first.range().first(), second.range().first()),
                    Math.min(first.range().last(), second.range().last()));
        }
    }

    public record Analysis(List<Gap> gaps, List<Overlap> overlaps) {}

    private Continuity() {}

    /** Analyses segments sorted by range. */
    public static Analysis analyse(List<ArchivedSegment> sorted) {
        List<Gap> gaps = new ArrayList<>();
        List<Overlap> overlaps = new ArrayList<>();
        ArchivedSegment reach = null;
        for (ArchivedSegment segment : sorted) {
            if (reach != null) {
                long covered = reach.range().last();
                if (segment.range().first() > covered + 1) {
                    gaps.add(new Gap(new LsnRange(covered + 1, segment.range().first() - 1), segment.lastModified()));
                } else if (segment.range().first() <= covered) {
                    overlaps.add(new Overlap(reach, segment));
                }
            }
            if (reach == null || segment.range().last() > reach.range().last()) {
                reach = segment;
            }
        }
        return new Analysis(gaps, overlaps);
    }

    /** The LSN ranges that segments sorted by range cover together, merged where they touch or overlap. */
    public static List<LsnRange> coverage(List<ArchivedSegment> sorted) {
        List<LsnRange> merged = new ArrayList<>();
        for (ArchivedSegment segment : sorted) {
            LsnRange range = segment.range();
            if (!merged.isEmpty() && range.first() <= merged.getLast().last() + 1) {
                LsnRange last = merged.removeLast();
                merged.add(new LsnRange(last.first(), Math.max(last.last(), range.last())));
            } else {
                merged.add(range);
            }
        }
        return merged;
    }

    /** Whether every LSN of {@code range} is covered, given {@link #coverage}; a binary search. */
    public static boolean covers(List<LsnRange> coverage, LsnRange range) {
        int low = 0;
        int high = coverage.size() - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            LsnRange candidate = coverage.get(middle);
            if (candidate.last() < range.first()) {
                low = middle + 1;
            } else if (candidate.first() > range.first()) {
                high = middle - 1;
            } else {
                return candidate.last() >= range.last();
            }
        }
        return false;
    }

    /**
     * The highest LSN {@code L} such that every LSN from {@code from} to {@code L} is covered by a segment,
     * or {@code from - 1} when {@code from} itself is not covered.
     */
    public static long contiguousEnd(List<ArchivedSegment> sorted, long from) {
        long end = from - 1;
        for (ArchivedSegment segment : sorted) {
            if (segment.range().first() > end + 1) {
                break;
            }
            end = Math.max(end, segment.range().last());
        }
        return end;
    }

    /**
     * From segments sorted by range: the run that starts at the lowest LSN and continues without a gap, leaving out
     * segments whose LSNs the run already holds.
     */
    public static List<ArchivedSegment> chain(List<ArchivedSegment> sorted) {
        List<ArchivedSegment> chain = new ArrayList<>();
        long next = -1;
        for (ArchivedSegment segment : sorted) {
            if (next >= 0 && segment.range().first() > next) {
                break;
            }
            if (next < 0 || segment.range().last() >= next) {
                chain.add(segment); // it extends the run (possibly overlapping its predecessor, which replay tolerates)
                next = segment.range().last() + 1;
            }
        }
        return chain;
    }
}
