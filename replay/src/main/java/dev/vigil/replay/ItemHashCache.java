package dev.vigil.replay;

import java.util.Arrays;

/**
 * What a reference knows, without asking RocksDB, about keys it wrote or read recently: each key's item hash (the
 * hash its item contributes to the digest) or that the key is absent. Replay must take the old item's hash out of
 * the digest on every put and delete; reading the old value back from RocksDB for that dominated replay, and most
 * workloads write the same keys again soon.
 *
 * <p>An open-addressing table (linear probing) keyed by each key's 64-bit key hash, whose slot holds the key hash, the
 * item hash and the entry's state side by side, so that a lookup touches one slot and the key's bytes (compared in
 * full: a key hash alone never identifies a key). A caller asks for a key's slot once per record ({@link #slot}),
 * then reads and updates it by its index; an entry that is not {@link #known known} yet must be filled from the stored
 * value before it is used. Slots do not move between {@link #reserve} and {@link #trim}, so the slots of one batch
 * stay valid until it is applied.
 *
 * <p>Bounded in heap: each key is counted at its length plus {@link #ENTRY_OVERHEAD} bytes, and {@link #trim()}
 * drops keys not used since the last sweep (CLOCK, an approximation of least recently used) while the total exceeds
 * the capacity. The heap really taken is 36 bytes per slot of a table kept at most half full (and at least a quarter
 * full once it has grown) plus each key's array: for 16-byte keys between 104 and 176 bytes per key, against 128
 * counted. A cache made for an empty state is <em>complete</em> until it first drops a key: it then
 * holds every key of the state, so a key it does not hold is absent, and a replay from the first LSN reads nothing
 * back. Exact for what it holds, because every change of the reference goes through its owner, which updates the
 * entries in the same step; the owner clears the cache (and it stops being complete) when a change fails half-way. Not
 * thread safe.
 */
final class ItemHashCache {

    /** Heap counted per key besides its bytes: two to four slots of the table and the key array's header. */
    static final int ENTRY_OVERHEAD = 112;

    private static final int STRIDE = 4; // key hash, item hash high, item hash low, state
    private static final int INITIAL_SLOTS = 1024;
    private static final long EMPTY = 0;
    private static final long UNKNOWN = 1;
    private static final long READING = 2;
    private static final long ABSENT = 3;
    private static final long PRESENT = 4;
    private static final long STATE = 7;
    private static final long REFERENCED = 8;

    private final long capacity;
    private long[] table;
    private byte[][] keys;
    private int mask;
    private int size;
    private int hand;
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
        allocate(INITIAL_SLOTS);
    }

    /** What a key of {@code keyLength} bytes counts against the capacity. */
    static long cost(int keyLength) {
        return keyLength + (long) ENTRY_OVERHEAD;
    }

    /** Makes room for {@code keys} more keys, so that slots do not move while they are added. */
    void reserve(int more) {
        long needed = 2L * (size + (long) more);
        if (needed > slots()) {
            if (needed > 1 << 30) {
                throw new IllegalStateException("an item hash cache cannot hold " + (size + (long) more) + " keys");
            }
            rehash(Integer.highestOneBit((int) needed - 1) << 1);
        }
    }

    /**
     * The slot of {@code key} (its bytes are kept, not copied: they must not change), whose {@code keyHash} is
     * {@link dev.vigil.core.digest.ItemHasher#keyHash}: the one held, now marked used, or a new one held from now on,
     * absent when the cache is complete and unknown otherwise. Drops nothing; the caller has {@link #reserve reserved}
     * room for it.
     */
    int slot(byte[] key, long keyHash) {
        int slot = index(keyHash);
        while (true) {
            int base = slot * STRIDE;
            long meta = table[base + 3];
            if (meta == EMPTY) {
                if (2L * (size + 1) > slots()) {
                    throw new IllegalStateException("no room reserved in the item hash cache");
                }
                table[base] = keyHash;
                table[base + 3] = (complete ? ABSENT : UNKNOWN) | REFERENCED;
                keys[slot] = key;
                size++;
                bytes += cost(key.length);
                return slot;
            }
            if (table[base] == keyHash && Arrays.equals(keys[slot], key)) {
                table[base + 3] = meta | REFERENCED;
                return slot;
            }
            slot = (slot + 1) & mask;
        }
    }

    byte[] key(int slot) {
        byte[] key = keys[slot];
        if (key == null) {
            throw new IllegalStateException("slot " + slot + " of the item hash cache is empty");
        }
        return key;
    }

    /** Whether the key's item is known: absent, or present with its item hash. */
    boolean known(int slot) {
        return state(slot) >= ABSENT;
    }

    /**
     * Whether the caller should read this unknown key's stored value (and then fill the slot): true once per entry,
     * so that a key written twice in one batch is read once.
     */
    boolean claimRead(int slot) {
        if (state(slot) != UNKNOWN) {
            return false;
        }
        setState(slot, READING);
        return true;
    }

    boolean present(int slot) {
        return state(slot) == PRESENT;
    }

    /** Writes the present key's item hash ({@code [high, low]}) into {@code out}. */
    void itemHash(int slot, long[] out) {
        if (!present(slot)) {
            throw new IllegalStateException("the key in slot " + slot + " is not known to be present");
        }
        out[0] = table[slot * STRIDE + 1];
        out[1] = table[slot * STRIDE + 2];
    }

    /** Records that the key is present with item hash {@code [high, low]}. */
    void makePresent(int slot, long[] itemHash) {
        table[slot * STRIDE + 1] = itemHash[0];
        table[slot * STRIDE + 2] = itemHash[1];
        setState(slot, PRESENT);
    }

    void makeAbsent(int slot) {
        setState(slot, ABSENT);
    }

    /** Drops keys not used since the last sweep while the cache holds more than its capacity. */
    void trim() {
        while (bytes > capacity && size > 0) {
            int base = hand * STRIDE;
            long meta = table[base + 3];
            if (meta == EMPTY) {
                hand = (hand + 1) & mask;
            } else if ((meta & REFERENCED) != 0) {
                table[base + 3] = meta & ~REFERENCED;
                hand = (hand + 1) & mask;
            } else {
                remove(hand); // a later key may move into the hand's slot: look at it next
                complete = false;
            }
        }
    }

    /** Forgets everything: after a change that failed half-way nothing held can be trusted. */
    void clear() {
        allocate(INITIAL_SLOTS);
        size = 0;
        bytes = 0;
        complete = false;
    }

    /** Whether every key of the state is held (a key not held is absent). */
    boolean complete() {
        return complete;
    }

    int size() {
        return size;
    }

    /** Heap counted for the keys held. */
    long bytes() {
        return bytes;
    }

    private int slots() {
        return mask + 1;
    }

    private int index(long keyHash) {
        return (int) (keyHash ^ (keyHash >>> 32)) & mask;
    }

    private long state(int slot) {
        return table[slot * STRIDE + 3] & STATE;
    }

    private void setState(int slot, long state) {
        int at = slot * STRIDE + 3;
        table[at] = (table[at] & ~STATE) | state;
    }

    private void allocate(int slots) {
        table = new long[slots * STRIDE];
        keys = new byte[slots][];
        mask = slots - 1;
        hand = 0;
    }

    private void rehash(int slots) {
        long[] oldTable = table;
        byte[][] oldKeys = keys;
        allocate(slots);
        for (int old = 0; old < oldKeys.length; old++) {
            if (oldTable[old * STRIDE + 3] != EMPTY) {
                int slot = index(oldTable[old * STRIDE]);
                while (table[slot * STRIDE + 3] != EMPTY) {
                    slot = (slot + 1) & mask;
                }
                System.arraycopy(oldTable, old * STRIDE, table, slot * STRIDE, STRIDE);
                keys[slot] = oldKeys[old];
            }
        }
    }

    /** Empties {@code slot}, moving later keys of its probe run back so that every key stays reachable. */
    private void remove(int slot) {
        bytes -= cost(key(slot).length);
        size--;
        int hole = slot;
        int next = slot;
        while (true) {
            next = (next + 1) & mask;
            if (table[next * STRIDE + 3] == EMPTY) {
                break;
            }
            int home = index(table[next * STRIDE]);
            if (((next - home) & mask) >= ((next - hole) & mask)) {
                System.arraycopy(table, next * STRIDE, table, hole * STRIDE, STRIDE);
                keys[hole] = keys[next];
                hole = next;
            }
        }
        Arrays.fill(table, hole * STRIDE, hole * STRIDE + STRIDE, 0L);
        keys[hole] = null;
    }
}
