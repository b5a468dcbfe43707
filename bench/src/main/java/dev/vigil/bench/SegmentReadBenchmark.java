package dev.vigil.bench;

import dev.vigil.core.PartitionId;
import dev.vigil.core.wal.FsyncPolicy;
import dev.vigil.core.wal.Op;
import dev.vigil.core.wal.SegmentReader;
import dev.vigil.core.wal.SegmentWriter;
import dev.vigil.core.wal.WalFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Reading and fully validating one 16 MiB sealed segment (page-cached) with the streaming reader, against
 * two baselines on the same file: reading its bytes through the same 64 KiB-buffered stream, and reading
 * them plus one CRC32C over all of them (the least any integrity check must do). Score: segments per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx1g"})
public class SegmentReadBenchmark {

    @Param({"100", "4096"})
    public int valueSize;

    private Path dir;
    private Path segment;
    private final byte[] buffer = new byte[64 * 1024];

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory(
                Path.of(System.getProperty("vigil.bench.dir", System.getProperty("java.io.tmpdir"))),
                "vigil-bench-read");
        SplittableRandom random = new SplittableRandom(42);
        int frame = WalFormat.frameLength(Op.PUT, 16, valueSize);
        int count = (int) (SegmentWriteBenchmark.SEGMENT_BYTES / frame);
        try (SegmentWriter writer =
                SegmentWriter.create(dir, PartitionId.of("bench"), 1, Clock.systemUTC(), FsyncPolicy.ON_SYNC)) {
            for (int i = 0; i < count; i++) {
                byte[] value = new byte[valueSize];
                random.nextBytes(value);
                writer.append(
                        1 + i,
                        Op.PUT,
                        String.format("key-%012d", random.nextInt(1_000_000)).getBytes(StandardCharsets.UTF_8),
                        value);
            }
            segment = writer.seal().path();
        }
    }

    @Benchmark
    public long vigilSegmentReader(Blackhole hole) throws IOException {
        long records = 0;
        try (SegmentReader reader = SegmentReader.open(segment)) {
            while (reader.hasNext()) {
                hole.consume(reader.next());
                records++;
            }
            hole.consume(reader.summary());
        }
        return records;
    }

    @Benchmark
    public long baselineRawRead() throws IOException {
        long total = 0;
        try (InputStream in = Files.newInputStream(segment)) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                total += n;
            }
        }
        return total;
    }

    @Benchmark
    public long baselineRawReadWithCrc32c() throws IOException {
        CRC32C crc = new CRC32C();
        try (InputStream in = Files.newInputStream(segment)) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                crc.update(buffer, 0, n);
            }
        }
        return crc.getValue();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        Files.deleteIfExists(segment);
        Files.deleteIfExists(dir);
    }
}
