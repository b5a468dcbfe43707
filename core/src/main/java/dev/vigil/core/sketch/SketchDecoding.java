package dev.vigil.core.sketch;

import java.util.List;
import java.util.Optional;

/** What decoding the difference of two sketches ({@code a.minus(b)}) found. */
public sealed interface SketchDecoding {

    /**
     * Every differing item, exactly: the items only in {@code a} and those only in {@code b}. An item of a key present
     * on both sides with different values appears on both sides. A key longer than the sketch's key width is whole
     * when the key table held its rest ({@link SketchItem#keyComplete()}).
     *
     * @param keysIncomplete why some long key that only one side holds is named by its first bytes only (the key table
     *                       could not be taken apart), when that is so
     */
    record Decoded(List<SketchItem> onlyInA, List<SketchItem> onlyInB, Optional<String> keysIncomplete)
            implements SketchDecoding {
        public Decoded {
            onlyInA = List.copyOf(onlyInA);
            onlyInB = List.copyOf(onlyInB);
        }

        public Decoded(List<SketchItem> onlyInA, List<SketchItem> onlyInB) {
            this(onlyInA, onlyInB, Optional.empty());
        }

        public int items() {
            return onlyInA.size() + onlyInB.size();
        }
    }

    /**
     * The difference is larger than the sketch can take apart: nothing is named (no partial list, so no wrong or
     * missing item is ever reported as the whole difference).
     *
     * @param peeled         how many items were taken out before decoding stuck
     * @param estimatedItems an estimate of the differing items: those peeled plus the cells still holding something,
     *                       divided by the cells each item occupies (a lower estimate when many items share cells)
     */
    record TooLarge(int peeled, long estimatedItems) implements SketchDecoding {}
}
