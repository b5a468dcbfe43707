package dev.vigil.restore;

import dev.vigil.core.PartitionId;
import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.repository.Continuity;
import dev.vigil.core.store.ByteRange;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.wal.SegmentExpectation;
import dev.vigil.core.wal.SegmentReader;
import dev.vigil.core.wal.WalRecord;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * Maps a wall-clock time to the last LSN whose record timestamp is at or before it. Each archived segment's
 * header carries its first record's timestamp, so the search reads only the headers a binary search visits
 * (a ranged GET of a few hundred bytes each) and then scans the one segment that holds the answer. Record
 * timestamps are the node's clock: the mapping assumes they do not go backwards across segments.
 */
public final class PointInTime {

    /** Bytes fetched to decode a header: enough for any partition id. */
    private static final long HEADER_BYTES = 512;

    private final ObjectStore store;

    public PointInTime(ObjectStore store) {
        this.store = store;
    }

    /**
     * The last LSN whose record was written at or before {@code time}.
     *
     * @param chain the archived segments of one contiguous run of LSNs, in order (see {@link #chain})
     * @throws RestoreException when {@code time} is before the first archived record or the chain is empty
     */
    public long lastLsnAtOrBefore(PartitionId partition, List<ArchivedSegment> chain, Instant time) throws IOException {
        return match(partition, chain, time).lsn();
    }

    /**
     * The last record at or before a time.
     *
     * @param lsn        its LSN
     * @param recordTime its timestamp
     * @param newest     whether it is the last record of the chain (the time may be later than anything archived)
     */
    public record Match(long lsn, Instant recordTime, boolean newest) {}

    /** As {@link #lastLsnAtOrBefore}, with the matching record's time and whether it is the newest of the chain. */
    public Match match(PartitionId partition, List<ArchivedSegment> chain, Instant time) throws IOException {
        if (chain.isEmpty()) {
            throw new RestoreException(
                    RestoreException.Kind.USAGE,
                    "partition " + partition + " has no archived WAL to" + " map " + time + " to an LSN",
                    null);
        }
        long millis = time.toEpochMilli();
        int low = 0;
        int high = chain.size() - 1;
        int found = -1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if (firstRecordMillis(partition, chain.get(middle)) <= millis) {
                found = middle;
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        if (found < 0) {
            throw new RestoreException(
                    RestoreException.Kind.USAGE,
                    "partition " + partition + ": " + time
                            + " is before the first archived record ("
                            + Instant.ofEpochMilli(firstRecordMillis(partition, chain.getFirst())) + " at LSN "
                            + chain.getFirst().range().first() + "); pick a later time",
                    null);
        }
        ArchivedSegment segment = chain.get(found);
        long last = segment.range().first();
        long lastMillis;
        long newest = -1;
        try (ObjectStream in = store.get(segment.key());
                SegmentReader reader = SegmentReader.open(
                        in,
                        in.info().size(),
                        store.locate(segment.key()),
                        SegmentExpectation.of(partition, segment.range()))) {
            // The search chose this segment because its first record is at or before the time.
            lastMillis = reader.header().firstRecordMillis();
            while (reader.hasNext()) {
                WalRecord record = reader.next();
                newest = record.lsn();
                if (record.timestampMillis() <= millis) {
                    last = record.lsn();
                    lastMillis = record.timestampMillis();
                }
            }
        }
        return new Match(last, Instant.ofEpochMilli(lastMillis), found == chain.size() - 1 && last == newest);
    }

    private long firstRecordMillis(PartitionId partition, ArchivedSegment segment) throws IOException {
        try (ObjectStream in = store.get(segment.key(), new ByteRange(0, Math.min(HEADER_BYTES, segment.size())));
                SegmentReader reader = SegmentReader.open(
                        in, -1, store.locate(segment.key()), SegmentExpectation.of(partition, segment.range()))) {
            return reader.header().firstRecordMillis();
        }
    }

    /** The run of segments that starts at the lowest LSN and continues without a gap: see {@link Continuity#chain}. */
    public static List<ArchivedSegment> chain(List<ArchivedSegment> sorted) {
        return Continuity.chain(sorted);
    }
}
