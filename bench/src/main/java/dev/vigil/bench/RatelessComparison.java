package dev.vigil.bench;

import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.digest.ItemHasher;
import dev.vigil.core.sketch.DifferenceSketch;
import dev.vigil.core.sketch.SketchItem;
import dev.vigil.core.sketch.SketchShape;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The rateless IBLT prototype ({@link RatelessSketchPrototype}) against the product's fixed table, for the choice
 * recorded in {@code docs/architecture.md}: bytes a judge fetches to decode 10, 100 and 1,000 differing items (the
 * shortest prefix that decodes, and what a reader doubling its ranged GETs from 32 symbols fetches), and the cost of
 * adding one item, which every scrubbed item and every replayed write pays.
 */
final class RatelessComparison {

    private static final int FIRST_FETCH = 32;

    private RatelessComparison() {}

    static String run(int capacity, int trials, DifferenceSketch fixed, SketchShape shape) {
        ItemHasher hasher = new ItemHasher(DigestAlgorithm.XXH128, 0);
        SplittableRandom random = new SplittableRandom(29);
        int stored = 2 * capacity;
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "%nRateless IBLT prototype (same %d-byte symbols), a report storing %,d symbols (%,d bytes):%n%n",
                RatelessSketchPrototype.CELL_BYTES,
                stored,
                stored * RatelessSketchPrototype.CELL_BYTES));
        out.append("| differing items | decoded within the stored symbols | shortest decoding prefix: symbols per item,"
                + " median / p99 | bytes fetched, doubling reader: median / p99 (round trips) | fixed table fetches |"
                + " median peel time |\n|---|---|---|---|---|---|\n");
        for (int differences : new int[] {10, 100, capacity}) {
            int decoded = 0;
            double[] perItem = new double[trials];
            long[] fetched = new long[trials];
            int[] trips = new int[trials];
            long[] nanos = new long[trials];
            for (int t = 0; t < trials; t++) {
                RatelessSketchPrototype difference = new RatelessSketchPrototype(stored);
                RatelessSketchPrototype other = new RatelessSketchPrototype(stored);
                for (SketchItem item : items(hasher, random, "diff:" + t + ":", differences)) {
                    (random.nextBoolean() ? difference : other).add(item);
                }
                difference = difference.minus(other);
                long t0 = System.nanoTime();
                boolean whole = difference.decodePrefix(stored).isPresent();
                nanos[t] = System.nanoTime() - t0;
                if (!whole) {
                    perItem[t] = Double.POSITIVE_INFINITY;
                    fetched[t] = Long.MAX_VALUE;
                    continue;
                }
                decoded++;
                int low = 1;
                int high = stored;
                while (low < high) {
                    int middle = (low + high) >>> 1;
                    if (difference.decodePrefix(middle).isPresent()) {
                        high = middle;
                    } else {
                        low = middle + 1;
                    }
                }
                perItem[t] = (double) low / differences;
                int prefix = Math.min(FIRST_FETCH, stored);
                trips[t] = 1;
                while (prefix < low) {
                    prefix = Math.min(prefix * 2, stored);
                    trips[t]++;
                }
                fetched[t] = (long) prefix * RatelessSketchPrototype.CELL_BYTES;
            }
            Arrays.sort(perItem);
            Arrays.sort(fetched);
            Arrays.sort(trips);
            Arrays.sort(nanos);
            int p99 = Math.min(trials - 1, trials * 99 / 100);
            out.append(String.format(
                    Locale.ROOT,
                    "| %,d | %d of %d | %.2f / %.2f | %,d / %,d bytes (%d / %d) | %,d bytes (1) | %.2f ms |%n",
                    differences,
                    decoded,
                    trials,
                    perItem[trials / 2],
                    perItem[p99],
                    fetched[trials / 2],
                    fetched[p99],
                    trips[trials / 2],
                    trips[p99],
                    fixed.encode().length,
                    nanos[trials / 2] / 1e6));
        }
        out.append(updateCost(hasher, random, shape, capacity));
        return out.toString();
    }

    private static String updateCost(ItemHasher hasher, SplittableRandom random, SketchShape shape, int capacity) {
        List<SketchItem> items = items(hasher, random, "user:", 200_000);
        long fixedNanos = Long.MAX_VALUE;
        long[] ratelessNanos = {Long.MAX_VALUE, Long.MAX_VALUE};
        int[] sizes = {(int) Math.ceil(1.72 * capacity), 2 * capacity};
        long sink = 0;
        for (int round = 0; round < 7; round++) {
            DifferenceSketch table = DifferenceSketch.empty(shape, DigestAlgorithm.XXH128);
            long t0 = System.nanoTime();
            for (SketchItem item : items) {
                table.add(item);
            }
            fixedNanos = Math.min(fixedNanos, System.nanoTime() - t0);
            sink += table.hashCode();
            for (int s = 0; s < sizes.length; s++) {
                RatelessSketchPrototype rateless = new RatelessSketchPrototype(sizes[s]);
                t0 = System.nanoTime();
                for (SketchItem item : items) {
                    rateless.add(item);
                }
                ratelessNanos[s] = Math.min(ratelessNanos[s], System.nanoTime() - t0);
                sink += rateless.symbols();
            }
        }
        double touched = 0;
        for (int i = 0; i < 10_000; i++) {
            touched += RatelessSketchPrototype.indices(items.get(i), sizes[1]).length;
        }
        return String.format(
                Locale.ROOT,
                "%nAdding an item (best of 7 rounds of 200,000; every scrubbed item and every replayed write pays it):"
                        + " fixed table of %,d cells %.0f ns (4 cells); rateless, %,d symbols %.0f ns, %,d symbols"
                        + " %.0f ns (%.1f symbols). [%d]%n",
                shape.cells(),
                (double) fixedNanos / items.size(),
                sizes[0],
                (double) ratelessNanos[0] / items.size(),
                sizes[1],
                (double) ratelessNanos[1] / items.size(),
                touched / 10_000,
                sink & 1);
    }

    private static List<SketchItem> items(ItemHasher hasher, SplittableRandom random, String prefix, int count) {
        List<SketchItem> items = new ArrayList<>(count);
        long[] hash = new long[2];
        byte[] value = new byte[100];
        for (int i = 0; i < count; i++) {
            byte[] key = (prefix + i).getBytes(StandardCharsets.US_ASCII);
            random.nextBytes(value);
            hasher.hash(key, value, hash);
            items.add(SketchItem.of(key, hash, RatelessSketchPrototype.KEY_WIDTH));
        }
        return items;
    }
}
