package dev.vigil.core.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vigil.core.PartitionId;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every single-byte change of a sealed segment must be reported as corruption at the structure that
 * holds the changed byte: offset 0 for the header, the frame's start for a frame, the marker's start for
 * the end marker.
 */
class SegmentCorruptionTest {

    @TempDir
    Path dir;

    private byte[] original;
    private List<Long> structureStarts;
    private String name;

    @BeforeEach
    void writeSegment() throws IOException {
        List<WalRecord> records = Segments.smallHistory(41);
        SealedSegment sealed = Segments.writeSealed(dir, records);
        original = Files.readAllBytes(sealed.path());
        name = sealed.path().getFileName().toString();
        structureStarts = new ArrayList<>();
        structureStarts.add(0L);
        long offset = WalFormat.headerLength(Segments.PARTITION);
        for (WalRecord record : records) {
            structureStarts.add(offset);
            offset += record.frameLength();
        }
        structureStarts.add(offset);
        structureStarts.add(offset + WalFormat.TAIL_LENGTH - 8);
        assertThat(offset + WalFormat.TAIL_LENGTH).isEqualTo(original.length);
    }

    @Test
    void everyFlippedByteOfASealedSegmentIsReportedAtTheStructureHoldingIt() throws IOException {
        for (int position = 0; position < original.length; position++) {
            byte[] damaged = original.clone();
            damaged[position] ^= (byte) 0xFF;
            assertCorruptAt(damaged, position);
        }
    }

    @Test
    void everyFlippedBitOfTheHeaderIsReportedAtOffsetZero() throws IOException {
        int headerLength = WalFormat.headerLength(Segments.PARTITION);
        for (int position = 0; position < headerLength; position++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] damaged = original.clone();
                damaged[position] ^= (byte) (1 << bit);
                SegmentCorruptException e = corruption(damaged);
                assertThat(e.offset()).as("bit %d of byte %d", bit, position).isZero();
            }
        }
    }

    @Test
    void everyTruncationOfASealedSegmentIsCorruption() throws IOException {
        for (int length = 0; length < original.length; length++) {
            byte[] truncated = Arrays.copyOf(original, length);
            SegmentCorruptException e = corruption(truncated);
            assertThat(e.offset()).as("truncated to %d bytes", length).isLessThanOrEqualTo(length);
        }
    }

    @Test
    void bytesAfterTheEndMarkerAreCorruption() throws IOException {
        byte[] longer = Arrays.copyOf(original, original.length + 3);
        SegmentCorruptException e = corruption(longer);
        assertThat(e.offset()).isEqualTo(original.length);
        assertThat(e.reason()).contains("3 unexpected bytes after the end marker");
    }

    @Test
    void aSegmentWhoseNameDisagreesWithItsContentIsCorruption() throws IOException {
        Path misnamed = dir.resolve(SegmentFileName.sealed(41, 45));
        Files.write(misnamed, original);
        assertThatThrownBy(() -> SegmentReader.validate(misnamed))
                .isInstanceOf(SegmentCorruptException.class)
                .hasMessageContaining("seal's last LSN 44 does not match the name's range [41..45]");
    }

    @Test
    void aSegmentOfAnotherPartitionIsCorruption() {
        SegmentExpectation expected = SegmentExpectation.fromFileName(name).withPartition(PartitionId.of("other"));
        assertThatThrownBy(() -> SegmentReader.validate(
                        new ByteArrayInputStream(original), original.length, "key/x.seg", expected))
                .isInstanceOf(SegmentCorruptException.class)
                .hasMessageContaining(
                        "key/x.seg: corrupt at offset 0: header names partition orders-0007 but the segment"
                                + " belongs to partition other");
    }

    private void assertCorruptAt(byte[] damaged, int position) throws IOException {
        SegmentCorruptException e = corruption(damaged);
        long expected = structureStarts.stream()
                .filter(start -> start <= position)
                .mapToLong(Long::longValue)
                .max()
                .orElseThrow();
        assertThat(e.offset())
                .as("flip at byte %d: %s", position, e.getMessage())
                .isEqualTo(expected);
        assertThat(e.source()).isEqualTo(name);
    }

    private SegmentCorruptException corruption(byte[] bytes) throws IOException {
        SegmentCorruptException e = catchThrowableOfType(
                SegmentCorruptException.class,
                () -> SegmentReader.validate(
                        new ByteArrayInputStream(bytes),
                        bytes.length,
                        name,
                        SegmentExpectation.fromFileName(name).withPartition(Segments.PARTITION)));
        assertThat(e).as("corruption must be detected").isNotNull();
        return e;
    }
}
