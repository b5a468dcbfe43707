package dev.vigil.core.wal;

import dev.vigil.core.Lsn;
import dev.vigil.core.PartitionId;

/**
 * The decoded header of a segment. {@code firstRecordMillis} is the timestamp of the segment's first
 * record (the header is written with it), so replicas logging the same records write the same header.
 */
public record SegmentHeader(int version, PartitionId partition, long firstLsn, long firstRecordMillis) {

    public SegmentHeader {
        Lsn.requireValid(firstLsn, "first LSN");
    }

    /** Length of this header in bytes. */
    public int length() {
        return WalFormat.headerLength(partition);
    }
}
