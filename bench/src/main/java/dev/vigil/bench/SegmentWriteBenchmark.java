package dev.vigil.bench;

import dev.vigil.core.PartitionId;
import dev.vigil.core.wal.FsyncPolicy;
import dev.vigil.core.wal.Op;
import dev.vigil.core.wal.SegmentWriter;
import dev.vigil.core.wal.WalFormat;
import dev.vigil.core.wal.WalRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Writing one 16 MiB segment (append every record, seal with one fsync) against the baseline of writing
 * the same number of bytes to a file with one fsync, with no encoding or checksums. Score: segments per
 * second; bytes and records per second follow from the segment's size (printed by {@link BenchReport}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx1g"})
public class SegmentWriteBenchmark {

    static final long SEGMENT_BYTES = 16L * 1024 * 1024;

    @Param({"100", "4096"})
    public int valueSize;

    private WalRecord[] records;
    private long segmentBytes;
    private Path dir;
    private ByteBuffer rawChunk;
    private long firstLsn = 1;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory(
                Path.of(System.getProperty("vigil.bench.dir", System.getProperty("java.io.tmpdir"))),
                "vigil-bench-write");
        SplittableRandom random = new SplittableRandom(42);
        int frame = WalFormat.frameLength(Op.PUT, 16, valueSize);
        int count = (int) (SEGMENT_BYTES / frame);
        records = new WalRecord[count];
        for (int i = 0; i < count; i++) {
            byte[] key = String.format("key-%012d", random.nextInt(1_000_000)).getBytes(StandardCharsets.UTF_8);
            byte[] value = new byte[valueSize];
            random.nextBytes(value);
            records[i] = WalRecord.put(1 + i, 1_700_000_000_000L + i, key, value);
        }
        segmentBytes = (long) count * frame;
        rawChunk = ByteBuffer.allocate(64 * 1024);
    }

    @Benchmark
    public long vigilSegmentWriter() throws IOException {
        Path sub = Files.createTempDirectory(dir, "w");
        long lsn0 = firstLsn;
        try (SegmentWriter writer =
                SegmentWriter.create(sub, PartitionId.of("bench"), lsn0, Clock.systemUTC(), FsyncPolicy.ON_SYNC)) {
            for (WalRecord r : records) {
                writer.append(new WalRecord(r.lsn() - 1 + lsn0, r.timestampMillis(), r.op(), r.key(), r.value()));
            }
            long size = writer.seal().summary().byteSize();
            cleanUp(sub);
            return size;
        }
    }

    @Benchmark
    public long baselineRawFileWrite() throws IOException {
        Path file = dir.resolve("raw");
        long written = 0;
        try (FileChannel channel = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            while (written < segmentBytes) {
                rawChunk.clear().limit((int) Math.min(rawChunk.capacity(), segmentBytes - written));
                written += channel.write(rawChunk);
            }
            channel.force(false);
        }
        Files.delete(file);
        return written;
    }

    private static void cleanUp(Path sub) throws IOException {
        try (var files = Files.list(sub)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(sub);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
