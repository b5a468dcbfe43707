package dev.vigil.core.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Hostile input never raises anything but the format's own exception, and never allocates beyond the limits. */
class SegmentGarbageTest {

    @Property(tries = 2000)
    void randomBytesAreRejectedWithTheFormatsOwnException(@ForAll @Size(max = 600) byte[] garbage) {
        assertThatThrownBy(() -> SegmentReader.validate(
                        new ByteArrayInputStream(garbage), garbage.length, "garbage", SegmentExpectation.none()))
                .isExactlyInstanceOf(SegmentCorruptException.class);
        assertThatThrownBy(() -> SegmentReader.validate(
                        new ByteArrayInputStream(garbage), -1, "garbage", SegmentExpectation.none()))
                .isExactlyInstanceOf(SegmentCorruptException.class);
    }

    @Property(tries = 2000)
    void garbageAfterAValidHeaderIsRejectedOrTrimmed(
            @ForAll @Size(max = 600) byte[] garbage, @ForAll @IntRange(min = 0, max = 3) int validRecords)
            throws IOException {
        byte[] prefix = validPrefix(validRecords);
        byte[] input = new byte[prefix.length + garbage.length];
        System.arraycopy(prefix, 0, input, 0, prefix.length);
        System.arraycopy(garbage, 0, input, prefix.length, garbage.length);

        assertThatThrownBy(() -> SegmentReader.validate(
                        new ByteArrayInputStream(input), input.length, "garbage", SegmentExpectation.none()))
                .isExactlyInstanceOf(SegmentCorruptException.class);
        try {
            OpenSegmentScan scan = OpenSegmentScanner.scan(new ByteArrayInputStream(input), input.length, "garbage");
            assertThat(scan.recordCount()).isGreaterThanOrEqualTo(validRecords);
            assertThat(scan.validLength()
                            + scan.tornTail().map(TornTail::length).orElse(0L))
                    .isEqualTo(input.length);
        } catch (SegmentCorruptException inconsistent) {
            assertThat(inconsistent.reason()).containsAnyOf("LSN", "seal");
        }
    }

    @Test
    void aHugeLengthFieldIsRefusedBeforeAllocating() throws IOException {
        byte[] prefix = validPrefix(1);
        byte[] input = new byte[prefix.length + 8];
        System.arraycopy(prefix, 0, input, 0, prefix.length);
        input[prefix.length] = 0x7f;
        input[prefix.length + 1] = (byte) 0xff;
        input[prefix.length + 2] = (byte) 0xff;
        input[prefix.length + 3] = (byte) 0xff;
        // An endless stream: if the reader trusted the length it would allocate 2 GiB and wait forever.
        InputStream endless = new SequenceInputStream(new ByteArrayInputStream(input), new InputStream() {
            @Override
            public int read() {
                return 0;
            }
        });
        assertThatThrownBy(() -> SegmentReader.validate(endless, -1, "hostile", SegmentExpectation.none()))
                .isInstanceOf(SegmentCorruptException.class)
                .hasMessageContaining("corrupt at offset " + prefix.length + ": frame length 2147483647 is outside");
    }

    private static byte[] validPrefix(int records) {
        // jqwik does not inject @TempDir, and this runs thousands of times: build the prefix in memory once.
        return PREFIXES[records];
    }

    private static final byte[][] PREFIXES = new byte[4][];

    static {
        try {
            Path dir = Files.createTempDirectory("vigil-garbage");
            for (int records = 0; records < PREFIXES.length; records++) {
                Path sub = Files.createDirectory(dir.resolve("p" + records));
                try (SegmentWriter writer =
                        SegmentWriter.create(sub, Segments.PARTITION, 1, Segments.CLOCK, FsyncPolicy.ON_SYNC)) {
                    for (int i = 0; i < records; i++) {
                        writer.append(1 + i, Op.PUT, Segments.bytes("k" + i), Segments.bytes("v" + i));
                    }
                    writer.sync();
                    PREFIXES[records] = Files.readAllBytes(writer.path());
                }
                Files.delete(sub.resolve(SegmentFileName.open(1)));
                Files.delete(sub);
            }
            Files.delete(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
