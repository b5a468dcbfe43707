package dev.vigil.bench;

import dev.vigil.core.sketch.SketchItem;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * A rateless invertible Bloom lookup table (Yang, Gilad and Alizadeh, "Practical Rateless Set Reconciliation", SIGCOMM
 * 2024), built only to measure it against the product's fixed table ({@code DifferenceSketch}); written here from the
 * paper. It carries the same fields per coded symbol as the fixed table's cells (count, key length, key hash, the first
 * 32 key bytes, item hash, check) so that bytes compare one for one.
 *
 * <p>Every item is in coded symbol 0; after symbol {@code i} its next symbol is {@code i + ceil((i + 1.5) * (1 /
 * sqrt(u) - 1))} for a uniform {@code u} drawn from the item's own generator, so an item lands in symbol {@code i}
 * with probability about {@code 1 / (1 + i / 2)} (the paper's mapping). A sketch keeps the first {@code symbols}
 * symbols; a reader may use any prefix of them. Maintaining a prefix of {@code m} symbols touches about
 * {@code 2 ln(m / 2) + 1} symbols per item (the fixed table: four).
 */
final class RatelessSketchPrototype {

    static final int KEY_WIDTH = 32;
    static final int CELL_BYTES = 4 + 4 + 8 + KEY_WIDTH + 8 + 8 + 8;

    private static final int WORDS = KEY_WIDTH / 8;
    private static final int COUNT = 0;
    private static final int LENGTH = 1;
    private static final int KEY_HASH = 2;
    private static final int KEY = 3;
    private static final int HIGH = KEY + WORDS;
    private static final int LOW = HIGH + 1;
    private static final int CHECK = LOW + 1;
    private static final int STRIDE = CHECK + 1;
    private static final long GOLDEN = 0x9E37_79B9_7F4A_7C15L;

    private final int symbols;
    private final long[] table;
    private final long[] packed = new long[WORDS];

    RatelessSketchPrototype(int symbols) {
        this.symbols = symbols;
        this.table = new long[symbols * STRIDE];
    }

    int symbols() {
        return symbols;
    }

    void add(SketchItem item) {
        toggle(item, 1, symbols);
    }

    /** The symbols an item lands in below {@code limit}, in order (symbol 0 first). */
    static int[] indices(SketchItem item, int limit) {
        long check = checkOf(item);
        long state = check | 1;
        int[] out = new int[16];
        int n = 0;
        long index = 0;
        while (index < limit) {
            if (n == out.length) {
                out = Arrays.copyOf(out, n * 2);
            }
            out[n++] = (int) index;
            state *= 0xda942042e4dd58b5L;
            double uniform = ((state >>> 11) + 1) * 0x1.0p-53;
            index += (long) Math.ceil((index + 1.5) * (1 / Math.sqrt(uniform) - 1));
        }
        return Arrays.copyOf(out, n);
    }

    private void toggle(SketchItem item, int sign, int limit) {
        Arrays.fill(packed, 0);
        byte[] prefix = item.keyPrefix();
        for (int i = 0; i < prefix.length; i++) {
            packed[i >>> 3] |= (prefix[i] & 0xFFL) << ((i & 7) << 3);
        }
        long check = checkOf(item);
        long state = check | 1;
        long index = 0;
        while (index < limit) {
            int base = (int) index * STRIDE;
            table[base + COUNT] += sign;
            table[base + LENGTH] ^= item.keyLength();
            table[base + KEY_HASH] ^= item.keyHash();
            for (int w = 0; w < WORDS; w++) {
                table[base + KEY + w] ^= packed[w];
            }
            table[base + HIGH] ^= item.itemHigh();
            table[base + LOW] ^= item.itemLow();
            table[base + CHECK] ^= check;
            state *= 0xda942042e4dd58b5L;
            double uniform = ((state >>> 11) + 1) * 0x1.0p-53;
            index += (long) Math.ceil((index + 1.5) * (1 / Math.sqrt(uniform) - 1));
        }
    }

    /** This sketch minus {@code other}, symbol by symbol. */
    RatelessSketchPrototype minus(RatelessSketchPrototype other) {
        RatelessSketchPrototype difference = new RatelessSketchPrototype(symbols);
        for (int i = 0; i < table.length; i++) {
            difference.table[i] = i % STRIDE == COUNT ? table[i] - other.table[i] : table[i] ^ other.table[i];
        }
        return difference;
    }

    /**
     * Peels the first {@code prefix} symbols of a difference; the items (as many as peeled) when every one of those
     * symbols is then empty, otherwise empty.
     */
    Optional<List<SketchItem>> decodePrefix(int prefix) {
        RatelessSketchPrototype work = new RatelessSketchPrototype(prefix);
        System.arraycopy(table, 0, work.table, 0, prefix * STRIDE);
        List<SketchItem> found = new ArrayList<>();
        Deque<Integer> candidates = new ArrayDeque<>();
        for (int c = 0; c < prefix; c++) {
            if (Math.abs(work.table[c * STRIDE + COUNT]) == 1) {
                candidates.add(c);
            }
        }
        while (!candidates.isEmpty() && found.size() <= prefix * 4) {
            int c = candidates.poll();
            long sign = work.table[c * STRIDE + COUNT];
            if (sign != 1 && sign != -1) {
                continue;
            }
            Optional<SketchItem> pure = work.pure(c, prefix);
            if (pure.isEmpty()) {
                continue;
            }
            SketchItem item = pure.get();
            found.add(item);
            work.toggle(item, (int) -sign, prefix);
            for (int index : indices(item, prefix)) {
                if (Math.abs(work.table[index * STRIDE + COUNT]) == 1) {
                    candidates.add(index);
                }
            }
        }
        for (long cell : work.table) {
            if (cell != 0) {
                return Optional.empty();
            }
        }
        return Optional.of(found);
    }

    private Optional<SketchItem> pure(int c, int prefix) {
        int base = c * STRIDE;
        long length = table[base + LENGTH];
        if (length < 0 || length > Integer.MAX_VALUE) {
            return Optional.empty();
        }
        int carried = (int) Math.min(length, KEY_WIDTH);
        byte[] key = new byte[carried];
        for (int i = 0; i < carried; i++) {
            key[i] = (byte) (table[base + KEY + (i >>> 3)] >>> ((i & 7) << 3));
        }
        SketchItem item =
                new SketchItem(table[base + KEY_HASH], (int) length, key, table[base + HIGH], table[base + LOW]);
        if (checkOf(item) != table[base + CHECK] || Arrays.binarySearch(indices(item, prefix), c) < 0) {
            return Optional.empty();
        }
        return Optional.of(item);
    }

    private static long checkOf(SketchItem item) {
        return mix(item.itemHigh() ^ mix(item.itemLow() ^ mix(item.keyHash() + GOLDEN * (item.keyLength() + 1L))));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
