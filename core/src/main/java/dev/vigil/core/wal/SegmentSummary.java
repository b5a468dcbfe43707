package dev.vigil.core.wal;

import dev.vigil.core.LsnRange;
import dev.vigil.core.PartitionId;
import dev.vigil.core.checksum.Checksum;

/**
 * What a valid sealed segment holds, established by reading all of it: its partition, LSN range, record
 * count, time range of its records, size, and the CRC32C of the whole file (the checksum its archived
 * copy carries).
 */
public record SegmentSummary(
        PartitionId partition,
        long firstLsn,
        long lastLsn,
        long recordCount,
        long firstTimestampMillis,
        long lastTimestampMillis,
        long byteSize,
        Checksum checksum) {

    public SegmentSummary {
        LsnRange range = new LsnRange(firstLsn, lastLsn);
        if (recordCount != range.count()) {
            throw new IllegalArgumentException("segment " + range + " of " + partition + " must hold " + range.count()
                    + " records, summary says " + recordCount);
        }
    }

    public LsnRange lsnRange() {
        return new LsnRange(firstLsn, lastLsn);
    }

    /** The sealed file name of this segment. */
    public String fileName() {
        return SegmentFileName.sealed(firstLsn, lastLsn);
    }
}
