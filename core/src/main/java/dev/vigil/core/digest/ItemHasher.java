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
    private final ItemFrame frame = new ItemFrame(252);

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

    /** {@link #keyHash(byte[])} of the key {@code bytes[offset..offset + length)}. */
    public static long keyHash(byte[] bytes, int offset, int length) {
        return BUCKETS.hashBytes(bytes, offset, length);
    }

    /** The bucket of a key whose {@link #keyHash} is {@code keyHash}. */
    public int bucketOf(long keyHash) {
        return bucketBits == 0 ? 0 : (int) (keyHash >>> (64 - bucketBits));
    }

    /** The 128-bit hash of (key, value) into {@code out[0]} (high) and {@code out[1]} (low). */
    public void hash(byte[] key, byte[] value, long[] out) {
        frame.set(key, value);
        hash(frame, out);
    }

    /** As {@link #hash(byte[], byte[], long[])}, for the item {@code item} holds. */
    public void hash(ItemFrame item, long[] out) {
        algorithm.hash(item.array(), item.length(), out, sha);
    }

    /** The {@link #keyHash(byte[])} of the key {@code item} holds. */
    public static long keyHash(ItemFrame item) {
        return BUCKETS.hashBytes(item.array(), ItemFrame.KEY_OFFSET, item.keyLength());
    }

    public DigestAlgorithm algorithm() {
        return algorithm;
    }

    public int bucketBits() {
        return bucketBits;
    }
}
