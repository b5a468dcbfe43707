package dev.vigil.bench;

import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.checksum.Hasher;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-record checksum (CRC32C over one record payload: 25 fixed bytes + 16-byte key + value) against
 * SHA-256 over the same bytes, the tamper-evident alternative. Score: payloads per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RecordChecksumBenchmark {

    @Param({"141", "4137"})
    public int payloadSize;

    private byte[] payload;
    private final CRC32C crc = new CRC32C();

    @Setup
    public void setUp() {
        payload = new byte[payloadSize];
        new SplittableRandom(1).nextBytes(payload);
    }

    @Benchmark
    public long crc32cRecordChecksum() {
        crc.reset();
        crc.update(payload, 0, payload.length);
        return crc.getValue();
    }

    @Benchmark
    public Object sha256SameBytes() {
        Hasher hasher = ChecksumAlgorithm.SHA256.newHasher();
        hasher.update(payload);
        return hasher.finish();
    }
}
