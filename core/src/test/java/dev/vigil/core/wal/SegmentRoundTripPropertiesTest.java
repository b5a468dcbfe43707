package dev.vigil.core.wal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

class SegmentRoundTripPropertiesTest {

    record Mutation(Op op, byte[] key, byte[] value, long timestamp) {}

    @Property(tries = 200)
    void arbitraryRecordSequencesRoundTrip(
            @ForAll("mutations") List<Mutation> mutations,
            @ForAll @LongRange(min = 1, max = Long.MAX_VALUE - 1000) long firstLsn)
            throws IOException {
        Path dir = Files.createTempDirectory("vigil-roundtrip");
        try {
            List<WalRecord> written = new ArrayList<>();
            long lsn = firstLsn;
            long stamp = Long.MIN_VALUE;
            for (Mutation m : mutations) {
                stamp = Math.max(stamp, m.timestamp()); // the format requires timestamps that never decrease
                written.add(new WalRecord(lsn++, stamp, m.op(), m.key(), m.op() == Op.PUT ? m.value() : null));
            }
            SealedSegment sealed = Segments.writeSealed(dir, written);

            List<WalRecord> read = new ArrayList<>();
            SegmentSummary summary;
            try (SegmentReader reader = SegmentReader.open(sealed.path())) {
                while (reader.hasNext()) {
                    read.add(reader.next());
                }
                summary = reader.summary();
            }

            assertThat(read).containsExactlyElementsOf(written);
            assertThat(summary).isEqualTo(sealed.summary());
            assertThat(summary.recordCount()).isEqualTo(written.size());
            assertThat(summary.firstLsn()).isEqualTo(firstLsn);
            assertThat(summary.lastLsn()).isEqualTo(firstLsn + written.size() - 1);
            assertThat(summary.firstTimestampMillis())
                    .isEqualTo(written.getFirst().timestampMillis());
            assertThat(summary.lastTimestampMillis())
                    .isEqualTo(written.getLast().timestampMillis());
            byte[] file = Files.readAllBytes(sealed.path());
            assertThat(summary.byteSize()).isEqualTo(file.length);
            assertThat(summary.checksum()).isEqualTo(Checksum.of(ChecksumAlgorithm.CRC32C, file));
            assertThat(sealed.path().getFileName().toString()).isEqualTo(summary.fileName());
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<byte[]> keys = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
        Arbitrary<byte[]> values = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300),
                Arbitraries.bytes().array(byte[].class).ofMinSize(60_000).ofMaxSize(70_000));
        Arbitrary<Mutation> mutation = Combinators.combine(
                        Arbitraries.of(Op.class),
                        keys,
                        values,
                        Arbitraries.longs().between(-1L, 4_000_000_000_000L))
                .as(Mutation::new);
        return mutation.list().ofMinSize(1).ofMaxSize(60);
    }
}
