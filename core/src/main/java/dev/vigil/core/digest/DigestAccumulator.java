package dev.vigil.core.digest;

import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link Digest} incrementally. Each bucket holds the sum of its items' 128-bit hashes modulo
 * 2^128 and their count. Sums commute, so the result does not depend on the order items arrive in; and
 * a sum can be undone, so a replay maintains the digest of the current state as it goes: a put of a new
 * key adds its hash, a delete subtracts the old one, an overwrite does both. Not thread safe.
 */
public final class DigestAccumulator {

    private final ItemHasher hasher;
    private final long[] high;
    private final long[] low;
    private final long[] counts;
    private final long[] scratch = new long[2];

    public DigestAccumulator(DigestAlgorithm algorithm, int bucketBits) {
        this.hasher = new ItemHasher(algorithm, bucketBits);
        int buckets = 1 << bucketBits;
        this.high = new long[buckets];
        this.low = new long[buckets];
        this.counts = new long[buckets];
    }

    /** An accumulator that continues from {@code digest} (a reference state persisted between runs). */
    public static DigestAccumulator resume(Digest digest) {
        DigestAccumulator accumulator = new DigestAccumulator(digest.algorithm(), digest.bucketBits());
        digest.copyInto(accumulator.high, accumulator.low, accumulator.counts);
        return accumulator;
    }

    /** An accumulator with the defaults: XXH128 items, 4096 buckets. */
    public static DigestAccumulator defaults() {
        return new DigestAccumulator(DigestAlgorithm.XXH128, Digest.DEFAULT_BUCKET_BITS);
    }

    /** Adds an item that is not present. */
    public void add(byte[] key, byte[] value) {
        hasher.hash(key, value, scratch);
        addHashed(hasher.bucket(key), scratch);
    }

    /** Adds the item {@code item} holds (not present), hashed where it lies. */
    public void add(ItemFrame item) {
        hasher.hash(item, scratch);
        addHashed(hasher.bucketOf(ItemHasher.keyHash(item)), scratch);
    }

    /** Adds an item of bucket {@code b} whose hash {@link #hasher()} computed already ({@code [high, low]}). */
    public void addHashed(int b, long[] hash) {
        long lo = low[b] + hash[1];
        high[b] += hash[0] + (Long.compareUnsigned(lo, low[b]) < 0 ? 1 : 0);
        low[b] = lo;
        counts[b]++;
    }

    /** Removes an item that is present with exactly this value. */
    public void remove(byte[] key, byte[] value) {
        hasher.hash(key, value, scratch);
        removeHashed(hasher.bucket(key), scratch);
    }

    /** Removes an item of bucket {@code b} whose hash {@link #hasher()} computed already. */
    public void removeHashed(int b, long[] hash) {
        long lo = low[b] - hash[1];
        high[b] -= hash[0] + (Long.compareUnsigned(low[b], hash[1]) < 0 ? 1 : 0);
        low[b] = lo;
        counts[b]--;
    }

    /**
     * Adds every item {@code other} holds (items disjoint from this one's, accumulated apart, say by another thread
     * over another key range): the sums and counts of each bucket are added.
     */
    public void addAll(DigestAccumulator other) {
        if (other.hasher.algorithm() != hasher.algorithm() || other.high.length != high.length) {
            throw new IllegalArgumentException("cannot add a digest of " + other.hasher.algorithm() + " with "
                    + other.hasher.bucketBits() + " bucket bits to one of " + hasher.algorithm() + " with "
                    + hasher.bucketBits());
        }
        for (int b = 0; b < high.length; b++) {
            long lo = low[b] + other.low[b];
            high[b] += other.high[b] + (Long.compareUnsigned(lo, low[b]) < 0 ? 1 : 0);
            low[b] = lo;
            counts[b] += other.counts[b];
        }
    }

    /** Replaces the value of a key: removes {@code oldValue} (if the key was present) and adds {@code newValue}. */
    public void put(byte[] key, byte @Nullable [] oldValue, byte[] newValue) {
        if (oldValue != null) {
            remove(key, oldValue);
        }
        add(key, newValue);
    }

    /** An immutable copy of the current state. */
    public Digest snapshot() {
        return new Digest(hasher.algorithm(), hasher.bucketBits(), high.clone(), low.clone(), counts.clone());
    }

    public ItemHasher hasher() {
        return hasher;
    }
}
