package dev.vigil.bench;

import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.digest.ItemHasher;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import net.openhft.hashing.LongTupleHashFunction;
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
 * The choice of the digest's 128-bit item hash: XXH128 (the default) against MurmurHash3-128 and SHA-256
 * (the tamper-evident mode), each through the same framing of one item (16-byte key, value of the given
 * size) as the digest uses. Score: items per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ItemHashBenchmark {

    @Param({"100", "4096"})
    public int valueSize;

    private byte[] key;
    private byte[] value;
    private byte[] framed;
    private final long[] out = new long[2];
    private ItemHasher xxh128;
    private ItemHasher sha256;
    private final LongTupleHashFunction murmur = LongTupleHashFunction.murmur_3();

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(3);
        key = new byte[16];
        value = new byte[valueSize];
        random.nextBytes(key);
        random.nextBytes(value);
        framed = new byte[4 + key.length + value.length];
        xxh128 = new ItemHasher(DigestAlgorithm.XXH128, 12);
        sha256 = new ItemHasher(DigestAlgorithm.SHA256, 12);
    }

    @Benchmark
    public long xxh128Item() {
        xxh128.hash(key, value, out);
        return out[0] ^ out[1];
    }

    @Benchmark
    public long murmur3Item() {
        System.arraycopy(key, 0, framed, 4, key.length);
        System.arraycopy(value, 0, framed, 4 + key.length, value.length);
        murmur.hashBytes(framed, out);
        return out[0] ^ out[1];
    }

    @Benchmark
    public long sha256Item() {
        sha256.hash(key, value, out);
        return out[0] ^ out[1];
    }
}
