package dev.vigil.core.wal;

import dev.vigil.core.Lsn;
import dev.vigil.core.PartitionId;

/** The decoded header of a segment. */
public record SegmentHeader(int version, PartitionId partition, long firstLsn, long createdMillis) {

    public SegmentHeader {
        Lsn.requireValid(firstLsn, "first LSN");
    }

    /** Length of this header in bytes. */
    public int length() {
        return WalFormat.headerLength(partition);
    }
}
