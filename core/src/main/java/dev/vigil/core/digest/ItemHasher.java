package dev.vigil.core.digest;

import java.security.MessageDigest;
import net.openhft.hashing.LongHashFunction;
import org.jspecify.annotations.Nullable;

/**
 * Computes item hashes and bucket numbers. The item hash covers the key's length, the key and the value, so
 * moving bytes between key and value changes it. The bucket is chosen by the top bits of XXH3-64 of the key
 * alone, so all versions of a key fall in one bucket whatever the algorithm. Not thread safe (reuses a buffer).
 */
public final class ItemHasher {

    private static final LongHashFunction BUCKETS = LongHashFunction.xx3(0x4255_434b_4554_5331L);

    private final DigestAlgorithm algorithm;
    private final int bucketBits;
    private final @Nullable MessageDigest sha;
    private byte[] framed = new byte[256];

    public ItemHasher(DigestAlgorithm algorithm, int bucketBits) {
        if (bucketBits < 0 || bucketBits > 20) {
            throw new IllegalArgumentException("bucket bits must be 0..20 (1 to 1,048,576 buckets), was " + bucketBits);
        }
        this.algorithm = algorithm;
        this.bucketBits = bucketBits;
        this.sha = algorithm == DigestAlgorithm.SHA256 ? DigestAlgorithm.newSha256() : null;
    }

    /** The bucket of a key: the top {@code bucketBits} bits of XXH3-64(key). */
    public int bucket(byte[] key) {
        return bucketOf(keyHash(key));
    }

    /** The 64-bit hash of a key that chooses its bucket (XXH3-64 with Vigil's bucket seed). */
    public static long keyHash(byte[] key) {
        return BUCKETS.hashBytes(key);
    }

    /** The bucket of a key whose {@link #keyHash} is {@code keyHash}. */
    public int bucketOf(long keyHash) {
        return bucketBits == 0 ? 0 : (int) (keyHash >>> (64 - bucketBits));
    }

    /** The 128-bit hash of (key, value) into {@code out[0]} (high) and {@code out[1]} (low). */
    public void hash(byte[] key, byte[] value, long[] out) {
        int length = 4 + key.length + value.length;
        if (framed.length < length) {
            framed = new byte[Math.max(length, framed.length * 2)];
        }
        framed[0] = (byte) (key.length >>> 24);
        framed[1] = (byte) (key.length >>> 16);
        framed[2] = (byte) (key.length >>> 8);
        framed[3] = (byte) key.length;
        System.arraycopy(key, 0, framed, 4, key.length);
        System.arraycopy(value, 0, framed, 4 + key.length, value.length);
        algorithm.hash(framed, length, out, sha);
    }

    public DigestAlgorithm algorithm() {
        return algorithm;
    }

    public int bucketBits() {
        return bucketBits;
    }
}
