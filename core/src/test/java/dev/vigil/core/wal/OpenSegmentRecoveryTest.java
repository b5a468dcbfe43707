package dev.vigil.core.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.LsnRange;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenSegmentRecoveryTest {

    @TempDir
    Path dir;

    @Test
    void truncationAtEveryOffsetOfAnOpenSegmentYieldsTheValidPrefix() throws IOException {
        List<WalRecord> records = Segments.smallHistory(7);
        Path open = Segments.writeOpen(dir, records);
        byte[] full = Files.readAllBytes(open);
        int headerLength = WalFormat.headerLength(Segments.PARTITION);
        long[] frameEnds = new long[records.size()];
        long end = headerLength;
        for (int i = 0; i < records.size(); i++) {
            end += records.get(i).frameLength();
            frameEnds[i] = end;
        }
        assertThat(end).isEqualTo(full.length);

        for (int length = 0; length <= full.length; length++) {
            Path cut = dir.resolve("cut").resolve(SegmentFileName.open(7));
            Files.createDirectories(cut.getParent());
            Files.write(cut, Arrays.copyOf(full, length));

            OpenSegmentScan scan = OpenSegmentScanner.scan(cut);

            int complete = 0;
            while (complete < frameEnds.length && frameEnds[complete] <= length) {
                complete++;
            }
            long validLength = length < headerLength ? 0 : (complete == 0 ? headerLength : frameEnds[complete - 1]);
            assertThat(scan.recordCount())
                    .as("records in %d bytes", length)
                    .isEqualTo(length < headerLength ? 0 : complete);
            assertThat(scan.validLength())
                    .as("valid prefix of %d bytes", length)
                    .isEqualTo(validLength);
            assertThat(scan.header().isPresent()).isEqualTo(length >= headerLength);
            if (length == 0 || (validLength == length && length >= headerLength)) {
                // An empty file is a segment without records yet, not a torn one.
                assertThat(scan.tornTail()).as("no torn tail at %d", length).isEmpty();
            } else {
                TornTail tail = scan.tornTail().orElseThrow();
                assertThat(tail.offset()).isEqualTo(validLength);
                assertThat(tail.length()).isEqualTo(length - validLength);
            }

            // Recovery trims to the prefix and continues: the result is a valid segment with the prefix plus new
            // records.
            SegmentWriter.Recovery recovery =
                    SegmentWriter.recover(cut, Segments.PARTITION, Segments.CLOCK, FsyncPolicy.ON_SYNC);
            SegmentWriter writer = ((SegmentWriter.Resumed) recovery).writer();
            int kept = (int) scan.recordCount();
            assertThat(writer.nextLsn()).isEqualTo(7 + kept);
            List<WalRecord> expected = new ArrayList<>(records.subList(0, kept));
            long after = kept == 0 ? 99 : records.get(kept - 1).timestampMillis() + 99; // timestamps never decrease
            WalRecord appended = WalRecord.put(7 + kept, after, Segments.bytes("after-recovery"), Segments.bytes("v"));
            writer.append(appended);
            expected.add(appended);
            SealedSegment sealed = writer.seal();
            assertThat(readAll(sealed.path()))
                    .as("recovered from %d bytes", length)
                    .containsExactlyElementsOf(expected);
            Files.delete(sealed.path());
        }
    }

    @Test
    void tornTailIsReportedWithItsOffsetAndTrimmedDurably() throws IOException {
        List<WalRecord> records = Segments.smallHistory(1);
        Path open = Segments.writeOpen(dir, records);
        long size = Files.size(open);
        try (FileChannel channel = FileChannel.open(open, StandardOpenOption.WRITE)) {
            channel.truncate(size - 3);
        }
        long lastFrameStart = size - records.getLast().frameLength();

        SegmentWriter.Recovery recovery =
                SegmentWriter.recover(open, Segments.PARTITION, Segments.CLOCK, FsyncPolicy.ON_SYNC);

        TornTail tail = recovery.tornTail().orElseThrow();
        assertThat(tail.offset()).isEqualTo(lastFrameStart);
        assertThat(tail.length()).isEqualTo(records.getLast().frameLength() - 3);
        assertThat(tail.reason()).contains("runs past the end of the file (31 bytes remain)");
        ((SegmentWriter.Resumed) recovery).writer().close();
        assertThat(Files.size(open)).isEqualTo(lastFrameStart);
    }

    @Test
    void zeroFilledTailIsTorn() throws IOException {
        Path open = Segments.writeOpen(dir, Segments.smallHistory(1));
        long size = Files.size(open);
        Files.write(open, new byte[4096], StandardOpenOption.APPEND);

        OpenSegmentScan scan = OpenSegmentScanner.scan(open);

        assertThat(scan.recordCount()).isEqualTo(4);
        assertThat(scan.tornTail())
                .contains(new TornTail(
                        size,
                        4096,
                        "frame length 0 is outside 21.." + WalFormat.MAX_PAYLOAD_LENGTH
                                + " (in the frame after LSN 4, where record LSN 5 or the seal belongs)"));
    }

    @Test
    void aSealedButNotRenamedSegmentIsCompletedByRecovery() throws IOException {
        List<WalRecord> records = Segments.smallHistory(1);
        SealedSegment sealed = Segments.writeSealed(dir, records);
        Path open = dir.resolve(SegmentFileName.open(1));
        Files.move(sealed.path(), open);

        SegmentWriter.Recovery recovery =
                SegmentWriter.recover(open, Segments.PARTITION, Segments.CLOCK, FsyncPolicy.ON_SYNC);

        assertThat(recovery).isInstanceOf(SegmentWriter.Completed.class);
        assertThat(((SegmentWriter.Completed) recovery).sealed()).isEqualTo(sealed);
        assertThat(open).doesNotExist();
        assertThat(SegmentReader.validate(sealed.path())).isEqualTo(sealed.summary());
    }

    @Test
    void anLsnGapInAnOpenSegmentIsCorruptionNotATornTail() throws IOException {
        List<WalRecord> records = Segments.smallHistory(1);
        Path open = Segments.writeOpen(dir, records.subList(0, 2));
        // Append a valid frame with a skipped LSN, as a buggy writer would.
        Path other = dir.resolve("other");
        Files.createDirectories(other);
        WalRecord skipped = WalRecord.put(4, 0, Segments.bytes("k"), Segments.bytes("v"));
        try (SegmentWriter writer =
                SegmentWriter.create(other, Segments.PARTITION, 4, Segments.CLOCK, FsyncPolicy.ON_SYNC)) {
            writer.append(skipped);
        }
        byte[] frame = Files.readAllBytes(other.resolve(SegmentFileName.open(4)));
        int headerLength = WalFormat.headerLength(Segments.PARTITION);
        long gapOffset = Files.size(open);
        Files.write(open, Arrays.copyOfRange(frame, headerLength, frame.length), StandardOpenOption.APPEND);

        assertThatThrownBy(() -> OpenSegmentScanner.scan(open))
                .isInstanceOf(SegmentCorruptException.class)
                .hasMessageContaining("corrupt at offset " + gapOffset + ": LSN 4 where 3 was expected");
    }

    @Test
    void aTimestampEarlierThanThePreviousRecordsIsCorruption() throws IOException {
        List<WalRecord> records = Segments.smallHistory(1);
        Path open = Segments.writeOpen(dir, records.subList(0, 2));
        byte[] frame = frameOf(
                WalRecord.put(3, records.get(1).timestampMillis() - 1, Segments.bytes("k"), Segments.bytes("v")));
        long offset = Files.size(open);
        Files.write(open, frame, StandardOpenOption.APPEND);

        assertThatThrownBy(() -> OpenSegmentScanner.scan(open))
                .isInstanceOf(SegmentCorruptException.class)
                .hasMessageContaining("corrupt at offset " + offset + ": record LSN 3 has timestamp "
                        + (records.get(1).timestampMillis() - 1) + ", earlier than the previous record's "
                        + records.get(1).timestampMillis() + " (timestamps must not decrease)");
        assertThatThrownBy(() -> Segments.writeOpen(
                        Files.createDirectories(dir.resolve("writer")),
                        List.of(records.get(1), WalRecord.put(3, 0, Segments.bytes("k"), Segments.bytes("v")))))
                .as("the writer refuses it too")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timestamps must not decrease");
    }

    @Test
    void aHeaderWhoseTimestampIsNotItsFirstRecordsIsCorruption() throws IOException {
        WalRecord first = WalRecord.put(1, 1_000, Segments.bytes("k"), Segments.bytes("v"));
        Path open = Segments.writeOpen(dir, List.of(first));
        int headerLength = WalFormat.headerLength(Segments.PARTITION);
        byte[] header = Arrays.copyOf(Files.readAllBytes(open), headerLength);
        byte[] otherFrame = frameOf(WalRecord.put(1, 2_000, Segments.bytes("k"), Segments.bytes("v")));
        Files.write(open, header);
        Files.write(open, otherFrame, StandardOpenOption.APPEND);

        assertThatThrownBy(() -> OpenSegmentScanner.scan(open))
                .isInstanceOf(SegmentCorruptException.class)
                .hasMessageContaining("corrupt at offset " + headerLength
                        + ": the first record's timestamp is 2000 but the" + " header says 1000");
    }

    /** The bytes of one record's frame, as a writer would write it. */
    private byte[] frameOf(WalRecord record) throws IOException {
        Path other = Files.createDirectories(dir.resolve("frame-" + record.lsn() + "-" + record.timestampMillis()));
        try (SegmentWriter writer =
                SegmentWriter.create(other, Segments.PARTITION, record.lsn(), Segments.CLOCK, FsyncPolicy.ON_SYNC)) {
            writer.append(record);
        }
        byte[] file = Files.readAllBytes(other.resolve(SegmentFileName.open(record.lsn())));
        return Arrays.copyOfRange(file, WalFormat.headerLength(Segments.PARTITION), file.length);
    }

    @Test
    void aTornHeaderIsRewrittenFromTheFileName() throws IOException {
        Path open = dir.resolve(SegmentFileName.open(500));
        Files.write(open, new byte[] {(byte) 0x89, 'V', 'W'});

        SegmentWriter.Recovery recovery =
                SegmentWriter.recover(open, Segments.PARTITION, Segments.CLOCK, FsyncPolicy.ON_SYNC);

        assertThat(recovery.tornTail()).contains(new TornTail(0, 3, "file ends inside the header (3 bytes)"));
        SegmentWriter writer = ((SegmentWriter.Resumed) recovery).writer();
        writer.append(500, Op.PUT, Segments.bytes("k"), Segments.bytes("v"));
        assertThat(writer.seal().summary().lsnRange()).isEqualTo(new LsnRange(500, 500));
    }

    @Test
    void writerRefusesNonContiguousLsnsAndEmptySeals() throws IOException {
        try (SegmentWriter writer =
                SegmentWriter.create(dir, Segments.PARTITION, 10, Segments.CLOCK, FsyncPolicy.EVERY_RECORD)) {
            assertThatThrownBy(writer::seal)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot seal a segment without records");
            assertThatThrownBy(() -> writer.append(11, Op.PUT, new byte[1], new byte[1]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("append of LSN 11 where 10 is next");
        }
        assertThatThrownBy(() -> SegmentWriter.create(dir, Segments.PARTITION, 10, Segments.CLOCK, FsyncPolicy.ON_SYNC))
                .isInstanceOf(FileAlreadyExistsException.class);
    }

    private static List<WalRecord> readAll(Path sealed) throws IOException {
        List<WalRecord> records = new ArrayList<>();
        try (SegmentReader reader = SegmentReader.open(sealed)) {
            while (reader.hasNext()) {
                records.add(reader.next());
            }
        }
        return records;
    }
}
