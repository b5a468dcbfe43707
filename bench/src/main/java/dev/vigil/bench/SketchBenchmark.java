package dev.vigil.bench;

import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.digest.ItemHasher;
import dev.vigil.core.sketch.DifferenceSketch;
import dev.vigil.core.sketch.SketchDecoding;
import dev.vigil.core.sketch.SketchShape;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The difference sketch's figures for {@code docs/performance.md}: its size per report and per differing item, how
 * often a difference of a given size decodes (four hash functions, 1.5 cells per item of capacity), and how long
 * subtracting two sketches and decoding takes. The sketches hold 100,000 shared items plus the differences (half only
 * on one side, half only on the other). Run through {@code bench/run-sketch}.
 */
public final class SketchBenchmark {

    private SketchBenchmark() {}

    public static void main(String[] args) {
        int capacity = Integer.parseInt(BenchSupport.option(args, "--capacity", "1000"));
        int trials = Integer.parseInt(BenchSupport.option(args, "--trials", "300"));
        SketchShape shape = SketchShape.forCapacity(capacity);
        ItemHasher hasher = new ItemHasher(DigestAlgorithm.XXH128, 0);
        SplittableRandom random = new SplittableRandom(13);
        DifferenceSketch common = DifferenceSketch.empty(shape, DigestAlgorithm.XXH128);
        long[] hash = new long[2];
        byte[] value = new byte[100];
        for (int i = 0; i < 100_000; i++) {
            byte[] key = ("user:" + i).getBytes(StandardCharsets.US_ASCII);
            random.nextBytes(value);
            hasher.hash(key, value, hash);
            common.add(key, hash);
        }
        int bytes = common.encode().length;
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "Difference sketch, capacity %,d: %,d cells of %d bytes, %,d bytes encoded per report (%.0f bytes per"
                        + " item of capacity).%n%n",
                capacity,
                shape.cells(),
                shape.cellBytes(),
                bytes,
                (double) bytes / capacity));
        out.append("| differing items | decoded | median subtract + decode | p99 |\n|---|---|---|---|\n");
        for (int differences : new int[] {10, 100, 500, capacity, capacity * 6 / 5, capacity * 2}) {
            int decoded = 0;
            long[] nanos = new long[trials];
            for (int t = 0; t < trials; t++) {
                DifferenceSketch a = common.copy();
                DifferenceSketch b = common.copy();
                for (int i = 0; i < differences; i++) {
                    byte[] key = ("diff:" + t + ":" + i).getBytes(StandardCharsets.US_ASCII);
                    random.nextBytes(value);
                    hasher.hash(key, value, hash);
                    (i % 2 == 0 ? a : b).add(key, hash);
                }
                long t0 = System.nanoTime();
                SketchDecoding decoding = a.minus(b).decode();
                nanos[t] = System.nanoTime() - t0;
                if (decoding instanceof SketchDecoding.Decoded d && d.items() == differences) {
                    decoded++;
                }
            }
            Arrays.sort(nanos);
            out.append(String.format(
                    Locale.ROOT,
                    "| %,d | %d of %d | %.2f ms | %.2f ms |%n",
                    differences,
                    decoded,
                    trials,
                    nanos[trials / 2] / 1e6,
                    nanos[Math.min(trials - 1, trials * 99 / 100)] / 1e6));
        }
        if (!BenchSupport.option(args, "--rateless", "yes").equals("no")) {
            out.append(RatelessComparison.run(capacity, Math.max(20, trials / 3), common, shape));
        }
        if (!BenchSupport.option(args, "--long-keys", "yes").equals("no")) {
            out.append(longKeys(capacity, SketchShape.DEFAULT_KEY_CAPACITY));
        }
        System.out.println(out);
    }

    /**
     * What the key table costs: its encoded size, the time to add an item by key length with and without it (the
     * scrub and the reference pay this per item), and the time to subtract and decode a difference of long phantom
     * keys named whole.
     */
    static String longKeys(int capacity, int keyCapacity) {
        SketchShape plain = SketchShape.forCapacity(capacity);
        SketchShape withKeys = SketchShape.forCapacity(capacity, keyCapacity);
        ItemHasher hasher = new ItemHasher(DigestAlgorithm.XXH128, 0);
        SplittableRandom random = new SplittableRandom(17);
        StringBuilder out = new StringBuilder();
        int plainBytes = DifferenceSketch.empty(plain, DigestAlgorithm.XXH128).encode().length;
        int keyBytes = DifferenceSketch.empty(withKeys, DigestAlgorithm.XXH128).encode().length;
        out.append(String.format(
                Locale.ROOT,
                "%nKey table of %,d pieces of %d bytes (%,d cells): %,d bytes encoded per report with it, %,d without"
                        + " (+%.0f%%).%n%n",
                keyCapacity,
                DifferenceSketch.KEY_PIECE,
                withKeys.keyCells(),
                keyBytes,
                plainBytes,
                100.0 * (keyBytes - plainBytes) / plainBytes));
        out.append("| key length | add, no key table | add, with key table |\n|---|---|---|\n");
        long[] hash = new long[2];
        for (int length : new int[] {24, 48, 128, 1024, 4096}) {
            int n = Math.max(2_000, 2_000_000 / length);
            byte[][] keys = new byte[n][];
            for (int i = 0; i < n; i++) {
                keys[i] = new byte[length];
                random.nextBytes(keys[i]);
            }
            double[] perItem = new double[2];
            for (int round = 0; round < 5; round++) { // the first rounds warm the JIT; the last one counts
                for (int table = 0; table < 2; table++) {
                    DifferenceSketch sketch =
                            DifferenceSketch.empty(table == 0 ? plain : withKeys, DigestAlgorithm.XXH128);
                    long t0 = System.nanoTime();
                    for (byte[] key : keys) {
                        hash[0] = key[0];
                        hash[1] = key[1];
                        sketch.add(key, hash);
                    }
                    perItem[table] = (System.nanoTime() - t0) / (double) n;
                }
            }
            out.append(
                    String.format(Locale.ROOT, "| %,d bytes | %.0f ns | %.0f ns |%n", length, perItem[0], perItem[1]));
        }
        // A 48-byte and a 4 KiB phantom key, and 20 of 100 bytes, over 100,000 shared items with long keys.
        DifferenceSketch common = DifferenceSketch.empty(withKeys, DigestAlgorithm.XXH128);
        byte[] value = new byte[100];
        for (int i = 0; i < 100_000; i++) {
            byte[] key = ("tenant-" + (i % 97) + "/orders/" + i + "/line-items").getBytes(StandardCharsets.US_ASCII);
            random.nextBytes(value);
            hasher.hash(key, value, hash);
            common.add(key, hash);
        }
        int trials = 50;
        long[] nanos = new long[trials];
        int whole = 0;
        for (int t = 0; t < trials; t++) {
            DifferenceSketch replica = common.copy();
            for (int length : phantomLengths()) {
                byte[] key = new byte[length];
                random.nextBytes(key);
                hasher.hash(key, value, hash);
                replica.add(key, hash);
            }
            long t0 = System.nanoTime();
            SketchDecoding decoding = common.minus(replica).decode();
            nanos[t] = System.nanoTime() - t0;
            if (decoding instanceof SketchDecoding.Decoded d
                    && d.keysIncomplete().isEmpty()
                    && d.onlyInB().size() == phantomLengths().length
                    && d.onlyInB().stream().allMatch(i -> i.keyComplete())) {
                whole++;
            }
        }
        Arrays.sort(nanos);
        out.append(String.format(
                Locale.ROOT,
                "%nA 48-byte, a 4 KiB and 20 100-byte phantom keys (135 pieces) over 100,000 shared items: named whole"
                        + " in %d of %d trials; subtract + decode median %.2f ms, p99 %.2f ms.%n",
                whole,
                trials,
                nanos[trials / 2] / 1e6,
                nanos[trials - 1] / 1e6));
        return out.toString();
    }

    private static int[] phantomLengths() {
        int[] lengths = new int[22];
        Arrays.fill(lengths, 100);
        lengths[0] = 48;
        lengths[1] = 4096;
        return lengths;
    }
}
