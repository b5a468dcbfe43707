package dev.vigil.archiver;

import dev.vigil.core.LsnRange;
import dev.vigil.core.PartitionId;
import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.wal.SegmentExpectation;
import dev.vigil.core.wal.SegmentReader;
import dev.vigil.core.wal.WalRecord;
import java.io.IOException;
import java.util.Optional;

/**
 * Compares the records two overlapping archived segments hold for their common LSNs (replicas that sealed
 * at different LSNs archive different keys for the same history). Streams both; never holds more than one
 * record of each.
 */
final class OverlapCheck {

    private OverlapCheck() {}

    /** The first LSN at which the two segments disagree, or empty when they hold the same records. */
    static Optional<Long> firstDifference(
            ObjectStore store, PartitionId partition, ArchivedSegment a, ArchivedSegment b) throws IOException {
        LsnRange common = new LsnRange(
                Math.max(a.range().first(), b.range().first()),
                Math.min(a.range().last(), b.range().last()));
        try (ObjectStream inA = store.get(a.key());
                ObjectStream inB = store.get(b.key());
                SegmentReader readerA = SegmentReader.open(
                        inA, inA.info().size(), a.key(), SegmentExpectation.of(partition, a.range()));
                SegmentReader readerB = SegmentReader.open(
                        inB, inB.info().size(), b.key(), SegmentExpectation.of(partition, b.range()))) {
            WalRecord ra = skipTo(readerA, common.first());
            WalRecord rb = skipTo(readerB, common.first());
            while (true) {
                if (!ra.equals(rb)) {
                    return Optional.of(ra.lsn());
                }
                if (ra.lsn() == common.last()) {
                    return Optional.empty();
                }
                ra = readerA.next();
                rb = readerB.next();
            }
        }
    }

    private static WalRecord skipTo(SegmentReader reader, long lsn) throws IOException {
        WalRecord record = reader.next();
        while (record.lsn() < lsn) {
            record = reader.next();
        }
        return record;
    }
}
