package dev.vigil.core.wal;

import dev.vigil.core.LsnRange;
import dev.vigil.core.PartitionId;
import java.util.Optional;

/**
 * What the context of a segment says it must be: the partition of the directory or object key it was found
 * under and the LSN range its name claims. A reader reports any disagreement as corruption.
 */
public record SegmentExpectation(Optional<PartitionId> partition, Optional<LsnRange> lsnRange) {

    public static SegmentExpectation none() {
        return new SegmentExpectation(Optional.empty(), Optional.empty());
    }

    public static SegmentExpectation of(PartitionId partition, LsnRange lsnRange) {
        return new SegmentExpectation(Optional.of(partition), Optional.of(lsnRange));
    }

    /** The LSN range a sealed file name claims; nothing for other names. */
    public static SegmentExpectation fromFileName(String fileName) {
        return new SegmentExpectation(
                Optional.empty(),
                SegmentFileName.parse(fileName)
                        .filter(SegmentFileName::isSealed)
                        .map(name ->
                                new LsnRange(name.firstLsn(), name.lastLsn().orElseThrow())));
    }

    public SegmentExpectation withPartition(PartitionId expected) {
        return new SegmentExpectation(Optional.of(expected), lsnRange);
    }
}
