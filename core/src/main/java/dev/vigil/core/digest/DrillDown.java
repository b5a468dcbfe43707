package dev.vigil.core.digest;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Classifies the keys of differing buckets. Each side supplies its {@code (key, itemHash)} pairs for those
 * buckets in unsigned key order (a RocksDB scan order, filtered to the buckets); a merge names every key
 * that is only on one side or whose hash differs. Memory is bounded by {@code cap}: beyond it only the
 * total is counted.
 */
public final class DrillDown {

    /** The first {@code cap} differences in key order, and how many there are in all. */
    public record Result(List<KeyDifference> differences, long total) {
        public Result {
            differences = List.copyOf(differences);
        }
    }

    private DrillDown() {}

    public static Result compare(Iterator<KeyHash> sideA, Iterator<KeyHash> sideB, int cap) {
        List<KeyDifference> found = new ArrayList<>();
        long total = 0;
        KeyHash a = next(sideA);
        KeyHash b = next(sideB);
        while (a != null || b != null) {
            KeyDifference difference = null;
            if (a != null && (b == null || a.compareTo(b) < 0)) {
                difference = new KeyDifference(a.key(), KeyDifference.Kind.ONLY_ON_A);
                a = next(sideA);
            } else if (b != null && (a == null || a.compareTo(b) > 0)) {
                difference = new KeyDifference(b.key(), KeyDifference.Kind.ONLY_ON_B);
                b = next(sideB);
            } else if (a != null && b != null) {
                if (!a.sameHash(b)) {
                    difference = new KeyDifference(a.key(), KeyDifference.Kind.DIFFERENT_VALUE);
                }
                a = next(sideA);
                b = next(sideB);
            }
            if (difference != null) {
                total++;
                if (found.size() < cap) {
                    found.add(difference);
                }
            }
        }
        return new Result(found, total);
    }

    private static @Nullable KeyHash next(Iterator<KeyHash> side) {
        return side.hasNext() ? side.next() : null;
    }
}
