package dev.vigil.core.digest;

import java.util.Arrays;

/** A key and its item's 128-bit hash: what each side lists for a differing bucket. */
public record KeyHash(byte[] key, long high, long low) implements Comparable<KeyHash> {

    /** Orders keys by unsigned bytes, RocksDB's default order. */
    @Override
    public int compareTo(KeyHash other) {
        return Arrays.compareUnsigned(key, other.key);
    }

    boolean sameHash(KeyHash other) {
        return high == other.high && low == other.low;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeyHash that && Arrays.equals(key, that.key) && high == that.high && low == that.low;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(key) + Long.hashCode(high ^ low);
    }
}
