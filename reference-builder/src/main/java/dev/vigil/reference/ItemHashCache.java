package dev.vigil.reference;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import org.jspecify.annotations.Nullable;

/**
 * What a reference knows, without asking RocksDB, about keys it wrote or read recently: each key's item hash (the
 * hash its item contributes to the digest) or that the key is absent. Replay must take the old item's hash out of
 * the digest on every put and delete; reading the old value back from RocksDB for that dominated replay, and most
 * workloads write the same keys again soon. Bounded in heap: each key is counted at its length plus
 * {@link #ENTRY_OVERHEAD} bytes, and the least recently used keys are dropped while the total exceeds the capacity.
 * A cache made for an empty state is <em>complete</em> until it first drops a key: it then holds every key of the
 * state, so a key it does not hold is absent, and a replay from the first LSN reads nothing back. Exact for what it
 * holds, because every change of the reference goes through its owner, which updates the cache in the same step; the
 * owner clears it (and it stops being complete) when a change fails half-way. Not thread safe.
 */
final class ItemHashCache {

    /** The value for a key known not to be in the state (the only value without two longs). */
    static final long[] ABSENT = new long[0];

    /** Heap per key besides its bytes: the map's entry, the key's wrapper and array header, the hash's array. */
    static final int ENTRY_OVERHEAD = 120;

    private final LinkedHashMap<Key, long[]> hashes = new LinkedHashMap<>(16, 0.75f, true);
    private final long capacity;
    private long bytes;
    private boolean complete;

    /**
     * @param capacity     heap the cache may use, in bytes as {@link #cost} counts them
     * @param ofEmptyState whether the state is empty now, so that the cache starts complete
     */
    ItemHashCache(long capacity, boolean ofEmptyState) {
        if (capacity < 0) {
            throw new IllegalArgumentException("an item hash cache cannot hold " + capacity + " bytes");
        }
        this.capacity = capacity;
        this.complete = ofEmptyState;
    }

    /** What a key of {@code keyLength} bytes counts against the capacity. */
    static long cost(int keyLength) {
        return keyLength + (long) ENTRY_OVERHEAD;
    }

    static boolean isAbsent(long[] hash) {
        return hash.length == 0;
    }

    /** The key's item hash, {@link #ABSENT} when the key is known not to exist, or null when not known. */
    long @Nullable [] get(Key key) {
        long[] hash = hashes.get(key);
        return hash == null && complete ? ABSENT : hash;
    }

    /** Records the key's item hash, or {@link #ABSENT}; drops the least recently used keys beyond the capacity. */
    void put(Key key, long[] hash) {
        if (hashes.put(key, hash) == null) {
            bytes += cost(key.bytes().length);
        }
        if (bytes > capacity) {
            Iterator<Key> eldest = hashes.keySet().iterator();
            while (bytes > capacity && eldest.hasNext()) {
                bytes -= cost(eldest.next().bytes().length);
                eldest.remove();
                complete = false;
            }
        }
    }

    /** Forgets everything: after a change that failed half-way nothing held can be trusted. */
    void clear() {
        hashes.clear();
        bytes = 0;
        complete = false;
    }

    /** Whether every key of the state is held (a key not held is absent). */
    boolean complete() {
        return complete;
    }

    int size() {
        return hashes.size();
    }

    /** Heap counted for the keys held. */
    long bytes() {
        return bytes;
    }

    /** A key as a map key: its bytes (not copied: they must not change) and their hash, computed once. */
    static final class Key {
        private final byte[] bytes;
        private final int hash;

        Key(byte[] bytes) {
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
        }

        byte[] bytes() {
            return bytes;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.hash == hash && Arrays.equals(key.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
