package dev.vigil.core.digest;

import dev.vigil.core.Keys;
import java.util.Arrays;

/** One key that differs between two states, and how. */
public record KeyDifference(byte[] key, Kind kind) {

    /** How a key differs, from the point of view of side A (e.g. the reference) and side B (e.g. a replica). */
    public enum Kind {
        /** Present on A only: for A = reference, missing on the replica (a lost write). */
        ONLY_ON_A,
        /** Present on B only: for A = reference, extra on the replica (a write that should not be there). */
        ONLY_ON_B,
        /** Present on both with different values. */
        DIFFERENT_VALUE
    }

    /** Printable ASCII as text, anything else as {@code 0x<hex>}. */
    public String keyText() {
        return Keys.printable(key);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeyDifference that && Arrays.equals(key, that.key) && kind == that.kind;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(key) + kind.hashCode();
    }

    @Override
    public String toString() {
        return keyText() + " " + kind;
    }
}
