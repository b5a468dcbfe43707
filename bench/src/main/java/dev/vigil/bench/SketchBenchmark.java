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
        System.out.println(out);
    }
}
