package dev.vigil.core.sketch;

import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.digest.ItemHasher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * An invertible Bloom lookup table over a set of {@link SketchItem}s (Goodrich and Mitzenmacher, "Invertible Bloom
 * Lookup Tables", Allerton 2011; used for set reconciliation as in Eppstein, Goodrich, Uyeda and Varghese, "What's the
 * Difference? Efficient Set Reconciliation without Prior Context", SIGCOMM 2011). Written here from those papers: no
 * well-kept Java implementation is published on Maven Central.
 *
 * <p>Each item is added to {@link #HASHES} cells, one in each quarter of the table, chosen from a 64-bit check of the
 * item's key hash, key length and item hash (SplitMix64 mixing: the inputs are strong hashes already). Four rather than three: with three, two items that share all their cells (a stopping set
 * no peeling undoes) turned up in 0.7% of decodes at capacity on this machine; with four, in none of 300 (see
 * docs/performance.md). A cell holds the count of its items and the XOR of their fields and check hashes. Adding and
 * removing commute and undo each other, so a sketch is maintained incrementally like the digest (a put adds the new
 * item and removes the old one, a delete removes), and subtracting two sketches cell by cell leaves exactly the
 * sketch of their symmetric difference: items in both cancel whatever else the sets hold. {@link #decode()} then
 * peels cells holding exactly one item ({@code count} of +1 or -1 and a check hash that matches the fields),
 * removing each found item from its other cells, until nothing is left (every differing item found) or no cell can
 * be peeled (the difference is too large for the table: {@link SketchDecoding.TooLarge}, never a partial answer).
 * A cell that merely looks pure passes the 64-bit check with probability 2^-64; its item must also hash back to that
 * cell, and a key carried whole must hash to its key hash.
 *
 * <p><b>Keys of any length.</b> A cell carries a key's first {@code keyWidth} bytes. With a key table
 * ({@link SketchShape#keyCells}), the rest of a longer key goes into a second table of the same kind, in pieces of
 * {@link #KEY_PIECE} bytes: each piece is an item whose (whole, so verified) key is the long key's hash, the piece's
 * index and the piece, and whose item hash is the long key's hash and length. A piece belongs to the key, not to the
 * value, so the key table holds each present long key once: an overwrite removes and adds the same pieces. Decoding a
 * difference decodes the key table too and completes every long key that only one side holds (a replica's phantom
 * key, which no reference could supply) from its pieces, checked against its hash; when the key table cannot be taken
 * apart, those keys stay named by their first bytes and {@link SketchDecoding.Decoded#keysIncomplete} says why.
 *
 * <p>Encoding (big-endian): {@code "VGSK"}, version byte (1 without a key table, 2 with one), digest algorithm id byte,
 * hash count byte, a zero byte, key width (int), cell count (int), in version 2 the key table's cell count (int), the
 * cells (count, key length, key hash, key bytes, item hash high and low, check hash), in version 2 the key table's
 * cells (the same, with {@link #KEY_TABLE_WIDTH} key bytes), and a CRC32C of everything before it. Not thread safe.
 */
public final class DifferenceSketch {

    /** Cells each item occupies. */
    public static final int HASHES = 4;

    /** Key bytes a key table's cell carries: a long key's hash (8), a piece's index (4) and the piece. */
    static final int KEY_TABLE_WIDTH = 64;

    /** Bytes of a long key each piece in the key table carries. */
    public static final int KEY_PIECE = KEY_TABLE_WIDTH - 12;

    private static final byte[] MAGIC = {'V', 'G', 'S', 'K'};
    private static final int VERSION = 1;
    private static final int VERSION_WITH_KEYS = 2;
    private static final int HEADER = 4 + 4 + 4 + 4;
    private static final long GOLDEN = 0x9E37_79B9_7F4A_7C15L;
    private static final VarHandle LITTLE_ENDIAN_LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    // A cell's fields, in one run of longs so that an update touches two cache lines, not eight:
    private static final int COUNT = 0; // items added minus items removed
    private static final int LENGTH = 1; // XOR of key lengths
    private static final int KEY_HASH = 2; // XOR of key hashes
    private static final int KEY = 3; // XOR of the first keyWidth key bytes, little-endian words

    private final SketchShape shape;
    private final DigestAlgorithm algorithm;
    private final int words;
    private final int high; // offsets after the key words: item hash high, low, check
    private final int low;
    private final int checked;
    private final int stride;
    private final long[] table;
    private final long[] prefix;
    /** The key table (the pieces of keys longer than the key width), when the shape has one. */
    private final @Nullable DifferenceSketch keys;
    /** Scratch for one piece item of the key table, and its item hash. */
    private final byte @Nullable [] piece;

    private final long[] pieceItem = new long[2];

    private DifferenceSketch(SketchShape shape, DigestAlgorithm algorithm) {
        this.shape = shape;
        this.algorithm = algorithm;
        this.words = shape.keyWidth() / 8;
        this.high = KEY + words;
        this.low = high + 1;
        this.checked = low + 1;
        this.stride = checked + 1;
        this.table = new long[shape.cells() * stride];
        this.prefix = new long[words];
        if (shape.keyCells() > 0) {
            this.keys = new DifferenceSketch(new SketchShape(shape.keyCells(), KEY_TABLE_WIDTH), algorithm);
            this.piece = new byte[KEY_TABLE_WIDTH];
        } else {
            this.keys = null;
            this.piece = null;
        }
    }

    /** An empty sketch; item hashes must come from {@code algorithm} (the digest's). */
    public static DifferenceSketch empty(SketchShape shape, DigestAlgorithm algorithm) {
        return new DifferenceSketch(shape, algorithm);
    }

    public SketchShape shape() {
        return shape;
    }

    public DigestAlgorithm algorithm() {
        return algorithm;
    }

    /** Adds the item of {@code key} whose item hash is {@code item} ({@code [high, low]}, as the digest computes it). */
    public void add(byte[] key, long[] item) {
        add(key, ItemHasher.keyHash(key), item);
    }

    /** As {@link #add(byte[], long[])}, with the key's {@link ItemHasher#keyHash} computed already. */
    public void add(byte[] key, long keyHash, long[] item) {
        add(key, 0, key.length, keyHash, item);
    }

    /** As {@link #add(byte[], long, long[])}, for the key {@code bytes[offset..offset + length)}. */
    public void add(byte[] bytes, int offset, int length, long keyHash, long[] item) {
        toggle(keyHash, length, pack(bytes, offset, length), item[0], item[1], 1);
        if (keys != null && length > shape.keyWidth()) {
            togglePieces(bytes, offset, length, keyHash, 1);
        }
    }

    /** Removes an item added before (or, in a difference, adds it to the other side). */
    public void remove(byte[] key, long[] item) {
        remove(key, ItemHasher.keyHash(key), item);
    }

    /** As {@link #remove(byte[], long[])}, with the key's {@link ItemHasher#keyHash} computed already. */
    public void remove(byte[] key, long keyHash, long[] item) {
        remove(key, 0, key.length, keyHash, item);
    }

    /** As {@link #remove(byte[], long, long[])}, for the key {@code bytes[offset..offset + length)}. */
    public void remove(byte[] bytes, int offset, int length, long keyHash, long[] item) {
        toggle(keyHash, length, pack(bytes, offset, length), item[0], item[1], -1);
        if (keys != null && length > shape.keyWidth()) {
            togglePieces(bytes, offset, length, keyHash, -1);
        }
    }

    /**
     * Adds or removes the pieces of the key {@code bytes[offset..offset + length)} past the key width in the key table:
     * each an item whose key is the long key's hash, the piece's index and the piece (carried whole), and whose item
     * hash is the long key's hash and length.
     */
    private void togglePieces(byte[] bytes, int offset, int length, long keyHash, int sign) {
        DifferenceSketch table = keys;
        byte[] scratch = piece;
        if (table == null || scratch == null) {
            return;
        }
        pieceItem[0] = keyHash;
        pieceItem[1] = length;
        int index = 0;
        for (int from = shape.keyWidth(); from < length; from += KEY_PIECE, index++) {
            int n = Math.min(KEY_PIECE, length - from);
            putLong(scratch, 0, keyHash);
            putInt(scratch, 8, index);
            System.arraycopy(bytes, offset + from, scratch, 12, n);
            int pieceLength = 12 + n;
            table.toggle(
                    ItemHasher.keyHash(scratch, 0, pieceLength),
                    pieceLength,
                    table.pack(scratch, 0, pieceLength),
                    pieceItem[0],
                    pieceItem[1],
                    sign);
        }
    }

    private static void putLong(byte[] into, int at, long value) {
        for (int i = 7; i >= 0; i--) {
            into[at + i] = (byte) value;
            value >>>= 8;
        }
    }

    private static void putInt(byte[] into, int at, int value) {
        for (int i = 3; i >= 0; i--) {
            into[at + i] = (byte) value;
            value >>>= 8;
        }
    }

    private static long getLong(byte[] from, int at) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (from[at + i] & 0xFFL);
        }
        return value;
    }

    private static int getInt(byte[] from, int at) {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            value = (value << 8) | (from[at + i] & 0xFF);
        }
        return value;
    }

    /** Adds {@code item} as is (with its key already reduced to this sketch's key width). */
    public void add(SketchItem item) {
        toggle(item, 1);
    }

    /** Removes {@code item} as is. */
    public void remove(SketchItem item) {
        toggle(item, -1);
    }

    private void toggle(SketchItem item, int sign) {
        byte[] carried = item.keyPrefix();
        toggle(
                item.keyHash(),
                item.keyLength(),
                pack(carried, 0, carried.length),
                item.itemHigh(),
                item.itemLow(),
                sign);
    }

    /**
     * Adds ({@code sign} 1) or removes ({@code -1}) an item in its four cells. The key's packed words are in
     * {@link #prefix}; only the first {@code keyWords} can be non-zero, and XOR with the zero words after them would
     * change nothing, so they are skipped.
     */
    private void toggle(long hash, int length, int keyWords, long itemHigh, long itemLow, int sign) {
        long[] packed = prefix;
        long itemCheck = checkOf(hash, length, itemHigh, itemLow);
        int sub = shape.cells() / HASHES;
        long spread = mix(itemCheck + GOLDEN);
        for (int h = 0; h < HASHES; h++) {
            int base = position(itemCheck, spread, h, sub) * stride;
            table[base + COUNT] += sign;
            table[base + LENGTH] ^= length;
            table[base + KEY_HASH] ^= hash;
            for (int w = 0; w < keyWords; w++) {
                table[base + KEY + w] ^= packed[w];
            }
            table[base + high] ^= itemHigh;
            table[base + low] ^= itemLow;
            table[base + checked] ^= itemCheck;
        }
    }

    /**
     * Packs the first {@code keyWidth} bytes of the key {@code bytes[offset..offset + length)} little-endian into
     * {@link #prefix}, zero-padded: whole words with one 8-byte read each, the rest byte by byte. Returns how many words
     * hold key bytes (the others are zero).
     */
    private int pack(byte[] bytes, int offset, int length) {
        long[] into = prefix;
        int n = Math.min(length, shape.keyWidth());
        int whole = n >>> 3;
        for (int w = 0; w < whole; w++) {
            into[w] = (long) LITTLE_ENDIAN_LONGS.get(bytes, offset + (w << 3));
        }
        for (int w = whole; w < into.length; w++) {
            into[w] = 0;
        }
        for (int i = whole << 3; i < n; i++) {
            into[i >>> 3] |= (bytes[offset + i] & 0xFFL) << ((i & 7) << 3);
        }
        return (n + 7) >>> 3;
    }

    /**
     * Adds every item {@code other} holds into this sketch (items disjoint from this one's, added apart, say by another
     * thread over another key range).
     */
    public void addAll(DifferenceSketch other) {
        checkCompatible(other, "added");
        for (int i = 0; i < table.length; i++) {
            if (i % stride == COUNT) {
                table[i] += other.table[i];
            } else {
                table[i] ^= other.table[i];
            }
        }
        if (keys != null && other.keys != null) {
            keys.addAll(other.keys);
        }
    }

    private void checkCompatible(DifferenceSketch other, String operation) {
        if (!shape.equals(other.shape) || algorithm != other.algorithm) {
            throw new IllegalArgumentException("sketches of different shapes or algorithms cannot be " + operation
                    + ": " + shape + "/" + algorithm + " and " + other.shape + "/" + other.algorithm);
        }
    }

    /**
     * This sketch minus {@code other}: the sketch of the items only here (+1) and only there (-1). Their item tables
     * must be alike ({@link SketchShape#sameItems}); the key tables are subtracted when both have the same one, and the
     * difference has none otherwise (a report written before key tables, or with another key capacity: its long keys
     * are named by their first bytes, as before).
     */
    public DifferenceSketch minus(DifferenceSketch other) {
        if (!shape.sameItems(other.shape) || algorithm != other.algorithm) {
            throw new IllegalArgumentException("sketches of different shapes or algorithms cannot be subtracted: "
                    + shape + "/" + algorithm + " and " + other.shape + "/" + other.algorithm);
        }
        boolean withKeys = keys != null && other.keys != null && shape.keyCells() == other.shape.keyCells();
        DifferenceSketch difference = new DifferenceSketch(withKeys ? shape : shape.withoutKeyTable(), algorithm);
        for (int i = 0; i < table.length; i++) {
            if (i % stride == COUNT) {
                difference.table[i] = table[i] - other.table[i];
            } else {
                difference.table[i] = table[i] ^ other.table[i];
            }
        }
        if (withKeys && difference.keys != null && keys != null && other.keys != null) {
            System.arraycopy(keys.minus(other.keys).table, 0, difference.keys.table, 0, difference.keys.table.length);
        }
        return difference;
    }

    /**
     * Peels this sketch (normally a {@link #minus difference}); leaves this sketch unchanged. With a key table, the long
     * keys found are completed from it (see the class comment).
     */
    public SketchDecoding decode() {
        SketchDecoding items = decodeItems();
        if (!(items instanceof SketchDecoding.Decoded decoded) || keys == null) {
            return items;
        }
        boolean incomplete = decoded.onlyInA().stream().anyMatch(i -> !i.keyComplete())
                || decoded.onlyInB().stream().anyMatch(i -> !i.keyComplete());
        if (!incomplete) {
            return decoded;
        }
        SketchDecoding pieces = keys.decodeItems();
        if (!(pieces instanceof SketchDecoding.Decoded found)) {
            return new SketchDecoding.Decoded(
                    decoded.onlyInA(),
                    decoded.onlyInB(),
                    Optional.of("more bytes of long keys differ than the sketch's key table decodes ("
                            + shape.keyCapacity() + " pieces of " + KEY_PIECE + " bytes)"));
        }
        Map<Long, byte[]> restA = rests(found.onlyInA());
        Map<Long, byte[]> restB = rests(found.onlyInB());
        List<SketchItem> a = complete(decoded.onlyInA(), restA);
        List<SketchItem> b = complete(decoded.onlyInB(), restB);
        // A long key on both sides (an altered value) has no pieces in the difference: the other side supplies it.
        boolean unnamed = a.stream().anyMatch(i -> !i.keyComplete() && !sameKeyIn(i, b))
                || b.stream().anyMatch(i -> !i.keyComplete() && !sameKeyIn(i, a));
        return new SketchDecoding.Decoded(
                a,
                b,
                unnamed
                        ? Optional.of("the sketch's key table did not hold the rest of every long key")
                        : Optional.empty());
    }

    private static boolean sameKeyIn(SketchItem item, List<SketchItem> side) {
        return side.stream().anyMatch(item::sameKey);
    }

    /** The bytes past the key width of each long key whose pieces were found, by the key's hash. */
    private static Map<Long, byte[]> rests(List<SketchItem> pieces) {
        Map<Long, TreeMap<Integer, byte[]>> byKey = new HashMap<>();
        for (SketchItem piece : pieces) {
            byte[] key = piece.keyPrefix();
            if (key.length < 12 || !piece.keyComplete()) {
                continue;
            }
            long keyHash = getLong(key, 0);
            if (piece.itemHigh() != keyHash) {
                continue;
            }
            byKey.computeIfAbsent(keyHash, k -> new TreeMap<>())
                    .put(getInt(key, 8), Arrays.copyOfRange(key, 12, key.length));
        }
        Map<Long, byte[]> rests = new HashMap<>();
        byKey.forEach((keyHash, parts) -> {
            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            int expected = 0;
            for (Map.Entry<Integer, byte[]> part : parts.entrySet()) {
                if (part.getKey() != expected++) {
                    return; // a piece is missing: not this key's whole rest
                }
                rest.writeBytes(part.getValue());
            }
            rests.put(keyHash, rest.toByteArray());
        });
        return rests;
    }

    /** The items with each long key completed from its rest, when the whole key hashes to the item's key hash. */
    private List<SketchItem> complete(List<SketchItem> items, Map<Long, byte[]> rests) {
        List<SketchItem> completed = new ArrayList<>(items.size());
        for (SketchItem item : items) {
            byte[] rest = rests.get(item.keyHash());
            if (item.keyComplete() || rest == null || item.keyPrefix().length + rest.length != item.keyLength()) {
                completed.add(item);
                continue;
            }
            byte[] key = Arrays.copyOf(item.keyPrefix(), item.keyLength());
            System.arraycopy(rest, 0, key, item.keyPrefix().length, rest.length);
            completed.add(
                    ItemHasher.keyHash(key) == item.keyHash()
                            ? new SketchItem(item.keyHash(), item.keyLength(), key, item.itemHigh(), item.itemLow())
                            : item);
        }
        return completed;
    }

    /** Peels the item table alone. */
    private SketchDecoding decodeItems() {
        DifferenceSketch work = copyItems();
        List<SketchItem> onlyInA = new ArrayList<>();
        List<SketchItem> onlyInB = new ArrayList<>();
        Deque<Integer> candidates = new ArrayDeque<>();
        int cells = shape.cells();
        for (int c = 0; c < cells; c++) {
            if (work.countOf(c) == 1 || work.countOf(c) == -1) {
                candidates.add(c);
            }
        }
        int sub = cells / HASHES;
        while (!candidates.isEmpty() && onlyInA.size() + onlyInB.size() <= cells) {
            int c = candidates.poll();
            long sign = work.countOf(c);
            if (sign != 1 && sign != -1) {
                continue;
            }
            SketchItem item = work.pure(c, sub);
            if (item == null) {
                continue;
            }
            (sign == 1 ? onlyInA : onlyInB).add(item);
            if (sign == 1) {
                work.remove(item);
            } else {
                work.add(item);
            }
            long itemCheck = checkOf(item.keyHash(), item.keyLength(), item.itemHigh(), item.itemLow());
            long spread = mix(itemCheck + GOLDEN);
            for (int h = 0; h < HASHES; h++) {
                int cell = position(itemCheck, spread, h, sub);
                if (work.countOf(cell) == 1 || work.countOf(cell) == -1) {
                    candidates.add(cell);
                }
            }
        }
        long busy = 0;
        for (int c = 0; c < cells; c++) {
            if (!work.emptyCell(c)) {
                busy++;
            }
        }
        if (busy > 0) {
            int peeled = onlyInA.size() + onlyInB.size();
            return new SketchDecoding.TooLarge(peeled, peeled + (busy + HASHES - 1) / HASHES);
        }
        return new SketchDecoding.Decoded(onlyInA, onlyInB);
    }

    private long countOf(int c) {
        return table[c * stride + COUNT];
    }

    /**
     * The item in cell {@code c} if it holds exactly one: its fields pass the check, it hashes back to this cell, its key
     * bytes past the key's length are zero, and a key carried whole hashes to its key hash.
     */
    private @Nullable SketchItem pure(int c, int sub) {
        int base = c * stride;
        long length = table[base + LENGTH];
        if (length < 0 || length > Integer.MAX_VALUE) {
            return null;
        }
        long hash = table[base + KEY_HASH];
        long itemCheck = checkOf(hash, (int) length, table[base + high], table[base + low]);
        if (itemCheck != table[base + checked] || position(itemCheck, mix(itemCheck + GOLDEN), c / sub, sub) != c) {
            return null;
        }
        byte[] bytes = new byte[shape.keyWidth()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (table[base + KEY + (i >>> 3)] >>> ((i & 7) << 3));
        }
        int carried = (int) Math.min(length, shape.keyWidth());
        for (int i = carried; i < bytes.length; i++) {
            if (bytes[i] != 0) {
                return null;
            }
        }
        byte[] keyBytes = Arrays.copyOf(bytes, carried);
        if (carried == length && ItemHasher.keyHash(keyBytes) != hash) {
            return null;
        }
        return new SketchItem(hash, (int) length, keyBytes, table[base + high], table[base + low]);
    }

    private boolean emptyCell(int c) {
        int base = c * stride;
        for (int i = 0; i < stride; i++) {
            if (table[base + i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** A 64-bit check of an item's fields (a pure cell's fields reproduce it; a mixture's do not). */
    private static long checkOf(long hash, int length, long itemHigh, long itemLow) {
        return mix(itemHigh ^ mix(itemLow ^ mix(hash + GOLDEN * (length + 1L))));
    }

    /**
     * The cell of hash function {@code h}: one per sub-table, from the item's check. {@code spread} is
     * {@code mix(itemCheck + GOLDEN)}: sub-tables of up to 65,536 cells take their position from its four 16-bit parts
     * (one mix for all four), larger ones from a mix each.
     */
    private static int position(long itemCheck, long spread, int h, int sub) {
        if (sub <= 1 << 16) {
            long part = (spread >>> (h << 4)) & 0xFFFF;
            return h * sub + (int) ((part * sub) >>> 16);
        }
        long mixed = mix(itemCheck + GOLDEN * (h + 2L));
        return h * sub + (int) (((mixed >>> 32) * sub) >>> 32);
    }

    /** SplitMix64's finaliser (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", 2014). */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** An independent copy. */
    public DifferenceSketch copy() {
        DifferenceSketch copy = new DifferenceSketch(shape, algorithm);
        System.arraycopy(table, 0, copy.table, 0, table.length);
        if (keys != null && copy.keys != null) {
            System.arraycopy(keys.table, 0, copy.keys.table, 0, keys.table.length);
        }
        return copy;
    }

    /** A copy of the item table alone (what peeling works on). */
    private DifferenceSketch copyItems() {
        DifferenceSketch copy = new DifferenceSketch(shape.withoutKeyTable(), algorithm);
        System.arraycopy(table, 0, copy.table, 0, table.length);
        return copy;
    }

    /** The encoded form (see the class comment), with its CRC32C. */
    public byte[] encode() {
        DifferenceSketch keyTable = keys;
        int size = HEADER + shape.cells() * shape.cellBytes() + 4;
        if (keyTable != null) {
            size += 4 + keyTable.shape.cells() * keyTable.shape.cellBytes();
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.put(MAGIC)
                .put((byte) (keyTable == null ? VERSION : VERSION_WITH_KEYS))
                .put((byte) algorithm.id())
                .put((byte) HASHES)
                .put((byte) 0)
                .putInt(shape.keyWidth())
                .putInt(shape.cells());
        if (keyTable != null) {
            buffer.putInt(keyTable.shape.cells());
        }
        putCells(buffer);
        if (keyTable != null) {
            keyTable.putCells(buffer);
        }
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), 0, buffer.position());
        buffer.putInt((int) crc.getValue());
        return buffer.array();
    }

    private void putCells(ByteBuffer buffer) {
        for (int c = 0; c < shape.cells(); c++) {
            int base = c * stride;
            buffer.putInt((int) table[base + COUNT])
                    .putInt((int) table[base + LENGTH])
                    .putLong(table[base + KEY_HASH]);
            for (int w = 0; w < words; w++) {
                buffer.putLong(table[base + KEY + w]);
            }
            buffer.putLong(table[base + high]).putLong(table[base + low]).putLong(table[base + checked]);
        }
    }

    /**
     * Decodes {@link #encode()}'s bytes.
     *
     * @throws IOException naming {@code source} and the problem when the bytes are not an intact sketch
     */
    public static DifferenceSketch decode(byte[] bytes, String source) throws IOException {
        if (bytes.length < HEADER + 4 || !Arrays.equals(bytes, 0, 4, MAGIC, 0, 4)) {
            throw new IOException(source + ": not a Vigil difference sketch");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        if ((int) crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt()) {
            throw new IOException(source + ": sketch checksum mismatch: the sketch is damaged");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        buffer.position(4);
        int version = buffer.get();
        if (version != VERSION && version != VERSION_WITH_KEYS) {
            throw new IOException(source + ": unsupported sketch version " + version + " (this Vigil reads versions "
                    + VERSION + " and " + VERSION_WITH_KEYS + ")");
        }
        DigestAlgorithm algorithm;
        SketchShape shape;
        try {
            algorithm = DigestAlgorithm.byId(buffer.get());
            int hashes = buffer.get();
            if (hashes != HASHES) {
                throw new IllegalArgumentException(
                        "a sketch of " + hashes + " hashes (this Vigil reads " + HASHES + ")");
            }
            buffer.get();
            int keyWidth = buffer.getInt();
            int cells = buffer.getInt();
            int keyCells = version == VERSION_WITH_KEYS && buffer.remaining() >= 4 ? buffer.getInt() : 0;
            shape = new SketchShape(cells, keyWidth, keyCells);
        } catch (IllegalArgumentException | BufferUnderflowException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
        long expected = HEADER + (long) shape.cells() * shape.cellBytes() + 4;
        if (shape.keyCells() > 0) {
            expected += 4 + (long) shape.keyCells() * new SketchShape(shape.keyCells(), KEY_TABLE_WIDTH).cellBytes();
        }
        if (bytes.length != expected) {
            throw new IOException(source + ": a sketch of " + bytes.length + " bytes does not hold " + shape.cells()
                    + " cells of " + shape.cellBytes() + " bytes"
                    + (shape.keyCells() > 0 ? " and a key table of " + shape.keyCells() + " cells" : ""));
        }
        DifferenceSketch sketch = new DifferenceSketch(shape, algorithm);
        sketch.getCells(buffer);
        if (sketch.keys != null) {
            sketch.keys.getCells(buffer);
        }
        return sketch;
    }

    private void getCells(ByteBuffer buffer) {
        for (int c = 0; c < shape.cells(); c++) {
            int base = c * stride;
            table[base + COUNT] = buffer.getInt();
            table[base + LENGTH] = buffer.getInt();
            table[base + KEY_HASH] = buffer.getLong();
            for (int w = 0; w < words; w++) {
                table[base + KEY + w] = buffer.getLong();
            }
            table[base + high] = buffer.getLong();
            table[base + low] = buffer.getLong();
            table[base + checked] = buffer.getLong();
        }
    }

    /** Equal when the shapes, algorithms and every cell are equal (the same set, however it was built). */
    @Override
    public boolean equals(Object other) {
        return other instanceof DifferenceSketch s
                && shape.equals(s.shape)
                && algorithm == s.algorithm
                && Arrays.equals(table, s.table)
                && Objects.equals(keys, s.keys);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(table);
    }

    @Override
    public String toString() {
        return "DifferenceSketch[" + shape + ", " + algorithm + "]";
    }
}
