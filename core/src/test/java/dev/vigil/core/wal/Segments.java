package dev.vigil.core.wal;

import dev.vigil.core.PartitionId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Builds segments for tests. */
final class Segments {

    static final PartitionId PARTITION = PartitionId.of("orders-0007");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T00:00:00Z"), ZoneOffset.UTC);

    private Segments() {}

    /** A few records of every kind: puts, a delete, an empty key and an empty value. */
    static List<WalRecord> smallHistory(long firstLsn) {
        long ts = CLOCK.millis();
        List<WalRecord> records = new ArrayList<>();
        records.add(WalRecord.put(firstLsn, ts, bytes("user:1"), bytes("alice")));
        records.add(WalRecord.put(firstLsn + 1, ts + 1, bytes("user:2"), bytes("")));
        records.add(WalRecord.delete(firstLsn + 2, ts + 2, bytes("user:1")));
        records.add(WalRecord.put(firstLsn + 3, ts + 5, bytes(""), bytes("empty key")));
        return records;
    }

    static SealedSegment writeSealed(Path dir, List<WalRecord> records) throws IOException {
        try (SegmentWriter writer =
                SegmentWriter.create(dir, PARTITION, records.getFirst().lsn(), CLOCK, FsyncPolicy.ON_SYNC)) {
            for (WalRecord record : records) {
                writer.append(record);
            }
            return writer.seal();
        }
    }

    /** Writes the records to an open segment and closes it unsealed, as a crashed node would leave it. */
    static Path writeOpen(Path dir, List<WalRecord> records) throws IOException {
        try (SegmentWriter writer =
                SegmentWriter.create(dir, PARTITION, records.getFirst().lsn(), CLOCK, FsyncPolicy.ON_SYNC)) {
            for (WalRecord record : records) {
                writer.append(record);
            }
            return writer.path();
        }
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
