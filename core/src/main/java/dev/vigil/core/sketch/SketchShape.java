package dev.vigil.core.sketch;

/**
 * The size of a sketch: how many cells (a multiple of {@link DifferenceSketch#HASHES}, one sub-table per hash), how
 * many key bytes each cell carries, and how many cells its key table has. Two sketches can be subtracted only when
 * their item tables have the same shape ({@link #sameItems}); their key tables take part when they are equal too.
 *
 * <p>The key table holds the bytes of keys longer than {@code keyWidth} beyond the first {@code keyWidth}, in pieces
 * of {@link DifferenceSketch#KEY_PIECE} bytes: the difference of two sketches then names a key of any length that only
 * one side holds (a replica's phantom key, which no reference can supply), on any machine. A piece belongs to a key,
 * not to its value, so an overwrite leaves the key table as it was.
 *
 * @param cells    the number of cells of the item table
 * @param keyWidth key bytes carried per cell (a multiple of 8, 8 to 256): keys up to this length are named whole
 * @param keyCells the number of cells of the key table (0: none, and a key longer than {@code keyWidth} that only one
 *                 side holds is named by its first bytes, length and hash)
 */
public record SketchShape(int cells, int keyWidth, int keyCells) {

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

    /** The key table's capacity unless configured: 256 pieces of 52 bytes (a 4 KiB key is 79 of them). */
    public static final int DEFAULT_KEY_CAPACITY = 256;

    /** The smallest capacity a table can be given: what {@link #MIN_CELLS} cells decode. */
    public static final int MIN_CAPACITY = (int) Math.floor(MIN_CELLS / CELLS_PER_ITEM);

    public SketchShape {
        checkCells(cells, "a sketch");
        if (keyCells != 0) {
            checkCells(keyCells, "a sketch's key table");
        }
        if (keyWidth < 8 || keyWidth > 256 || keyWidth % 8 != 0) {
            throw new IllegalArgumentException(
                    "a sketch's key width is a multiple of 8 from 8 to 256, not " + keyWidth);
        }
    }

    /** A shape without a key table. */
    public SketchShape(int cells, int keyWidth) {
        this(cells, keyWidth, 0);
    }

    private static void checkCells(int cells, String what) {
        if (cells < MIN_CELLS || cells % DifferenceSketch.HASHES != 0 || cells > 1 << 24) {
            throw new IllegalArgumentException(what + " needs a multiple of " + DifferenceSketch.HASHES + " cells from "
                    + MIN_CELLS + " to " + (1 << 24) + ", not " + cells);
        }
    }

    /**
     * The shape that decodes at least {@code items} differing items (with high probability), keys up to 32 bytes
     * named whole, without a key table.
     *
     * @throws IllegalArgumentException when {@code items} is below {@link #MIN_CAPACITY}: a smaller table does not
     *                                  decode reliably, and a larger one than asked for is not what was asked
     */
    public static SketchShape forCapacity(int items) {
        return new SketchShape(cellsFor(items, "a sketch"), DEFAULT_KEY_WIDTH);
    }

    /**
     * The shape that decodes at least {@code items} differing items and, in its key table, {@code keyPieces} pieces of
     * long keys ({@code 0}: no key table).
     */
    public static SketchShape forCapacity(int items, int keyPieces) {
        return new SketchShape(
                cellsFor(items, "a sketch"),
                DEFAULT_KEY_WIDTH,
                keyPieces == 0 ? 0 : cellsFor(keyPieces, "a sketch's key table"));
    }

    private static int cellsFor(int items, String what) {
        if (items < MIN_CAPACITY) {
            throw new IllegalArgumentException(what + "'s capacity is at least " + MIN_CAPACITY + " (the smallest"
                    + " table, " + MIN_CELLS + " cells, decodes that many), not " + items);
        }
        long cells = (long) Math.ceil(items * CELLS_PER_ITEM);
        cells += (DifferenceSketch.HASHES - cells % DifferenceSketch.HASHES) % DifferenceSketch.HASHES;
        return Math.toIntExact(cells);
    }

    /** How many differing items this shape is sized to decode (the inverse of {@link #forCapacity}). */
    public int capacity() {
        return (int) Math.floor(cells / CELLS_PER_ITEM);
    }

    /** How many pieces of long keys its key table is sized to decode (0: it has none). */
    public int keyCapacity() {
        return (int) Math.floor(keyCells / CELLS_PER_ITEM);
    }

    /** Whether the item tables of the two shapes are alike (their sketches can be subtracted). */
    public boolean sameItems(SketchShape other) {
        return cells == other.cells && keyWidth == other.keyWidth;
    }

    /** This shape without its key table. */
    public SketchShape withoutKeyTable() {
        return new SketchShape(cells, keyWidth);
    }

    /** Encoded bytes of one cell. */
    public int cellBytes() {
        return 4 + 4 + 8 + keyWidth + 8 + 8 + 8;
    }
}
