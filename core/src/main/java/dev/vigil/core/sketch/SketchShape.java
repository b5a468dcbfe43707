package dev.vigil.core.sketch;

/**
 * The size of a sketch: how many cells (a multiple of {@link DifferenceSketch#HASHES}, one sub-table per hash) and
 * how many key bytes each cell carries. Two sketches can be subtracted only when their shapes are equal.
 *
 * @param cells    the number of cells
 * @param keyWidth key bytes carried per cell (a multiple of 8, 8 to 256): keys up to this length are named whole
 */
public record SketchShape(int cells, int keyWidth) {

    /**
     * Cells per differing item the capacity is sized with. A table of four hash functions peels completely with
     * high probability above about 1.3 cells per item for large sets (Goodrich and Mitzenmacher, "Invertible Bloom
     * Lookup Tables", 2011); capacity gets 1.5, and at least {@link #MIN_CELLS} cells.
     */
    public static final double CELLS_PER_ITEM = 1.5;

    /** The smallest table: below this, chance collisions make small differences fail to decode too often. */
    public static final int MIN_CELLS = 96;

    /** The capacity used unless configured: 1,000 differing items (1,500 cells, about 105 KiB encoded). */
    public static final int DEFAULT_CAPACITY = 1000;

    /** The key width used unless configured: keys up to 32 bytes are named whole. */
    public static final int DEFAULT_KEY_WIDTH = 32;

    public SketchShape {
        if (cells < MIN_CELLS || cells % DifferenceSketch.HASHES != 0 || cells > 1 << 24) {
            throw new IllegalArgumentException("a sketch needs a multiple of " + DifferenceSketch.HASHES
                    + " cells from " + MIN_CELLS + " to " + (1 << 24) + ", not " + cells);
        }
        if (keyWidth < 8 || keyWidth > 256 || keyWidth % 8 != 0) {
            throw new IllegalArgumentException(
                    "a sketch's key width is a multiple of 8 from 8 to 256, not " + keyWidth);
        }
    }

    /** The shape that decodes at least {@code items} differing items (with high probability), keys up to 32 bytes. */
    public static SketchShape forCapacity(int items) {
        if (items < 1) {
            throw new IllegalArgumentException("a sketch's capacity is at least 1 item, not " + items);
        }
        long cells = Math.max(MIN_CELLS, (long) Math.ceil(items * CELLS_PER_ITEM));
        cells += (DifferenceSketch.HASHES - cells % DifferenceSketch.HASHES) % DifferenceSketch.HASHES;
        return new SketchShape(Math.toIntExact(cells), DEFAULT_KEY_WIDTH);
    }

    /** How many differing items this shape is sized to decode (the inverse of {@link #forCapacity}). */
    public int capacity() {
        return (int) Math.floor(cells / CELLS_PER_ITEM);
    }

    /** Encoded bytes of one cell. */
    public int cellBytes() {
        return 4 + 4 + 8 + keyWidth + 8 + 8 + 8;
    }
}
