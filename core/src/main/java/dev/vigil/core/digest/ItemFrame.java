package dev.vigil.core.digest;

import java.util.Arrays;

/**
 * One item held in the framing its item hash covers: the key's length (4 bytes, big-endian), the key, the value, in
 * one reused array. A reader that can copy a key and a value into a caller's array (RocksDB's iterator can) fills the
 * frame in place, so a scan hashes each item without allocating two arrays and copying them a second time; this is
 * most of what a scrub costs over a bare iteration (docs/performance.md).
 *
 * <p>The frame is overwritten by the next item: a visitor that keeps a key or value takes a copy ({@link #key()},
 * {@link #value()}). Not thread safe.
 */
public final class ItemFrame {

    /** Where the key starts in {@link #array()}. */
    public static final int KEY_OFFSET = 4;

    private byte[] framed;
    private int keyLength;
    private int valueLength;

    /** An empty frame with room for {@code capacity} bytes of key and value before it grows. */
    public ItemFrame(int capacity) {
        this.framed = new byte[KEY_OFFSET + Math.max(capacity, 16)];
    }

    /**
     * Copies a part of an item (its key or its value) into {@code into[offset..offset + room)} and returns the part's
     * full length; when that is more than {@code room}, the copy may be incomplete and is asked for again with room
     * enough (RocksDB's iterator copies so).
     */
    @FunctionalInterface
    public interface PartReader {
        int read(byte[] into, int offset, int room);
    }

    /** Replaces the item by {@code key} and {@code value} (copied). */
    public void set(byte[] key, byte[] value) {
        ensure((long) KEY_OFFSET + key.length + value.length, 0);
        System.arraycopy(key, 0, framed, KEY_OFFSET, key.length);
        System.arraycopy(value, 0, framed, KEY_OFFSET + key.length, value.length);
        frameKey(key.length);
        valueLength = value.length;
    }

    /** Replaces the item's key by what {@code reader} copies; read the value after it. */
    public void readKey(PartReader reader) {
        int length = reader.read(framed, KEY_OFFSET, framed.length - KEY_OFFSET);
        if (length > framed.length - KEY_OFFSET) {
            ensure((long) KEY_OFFSET + length, 0);
            length = reader.read(framed, KEY_OFFSET, length);
        }
        frameKey(length);
        valueLength = 0;
    }

    /** Replaces the item's value by what {@code reader} copies (after {@link #readKey}). */
    public void readValue(PartReader reader) {
        int offset = valueOffset();
        int length = reader.read(framed, offset, framed.length - offset);
        if (length > framed.length - offset) {
            ensure((long) offset + length, offset);
            length = reader.read(framed, offset, length);
        }
        valueLength = length;
    }

    private void frameKey(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("a key of negative length " + length);
        }
        framed[0] = (byte) (length >>> 24);
        framed[1] = (byte) (length >>> 16);
        framed[2] = (byte) (length >>> 8);
        framed[3] = (byte) length;
        keyLength = length;
    }

    /** Makes room for {@code needed} bytes, keeping the first {@code kept}. */
    private void ensure(long needed, int kept) {
        if (needed > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("an item of " + needed + " bytes is larger than Vigil can hash");
        }
        if (needed > framed.length) {
            byte[] larger = new byte[(int) Math.max(needed, Math.min(Integer.MAX_VALUE - 8, 2L * framed.length))];
            System.arraycopy(framed, 0, larger, 0, kept);
            framed = larger;
        }
    }

    /** The frame's array: the framed item is {@code array()[0..length())}; valid until the frame changes. */
    public byte[] array() {
        return framed;
    }

    /** The framed item's length: 4 bytes of key length, the key and the value. */
    public int length() {
        return KEY_OFFSET + keyLength + valueLength;
    }

    public int keyLength() {
        return keyLength;
    }

    public int valueLength() {
        return valueLength;
    }

    /** Where the value starts in {@link #array()}. */
    public int valueOffset() {
        return KEY_OFFSET + keyLength;
    }

    /** Whether the key equals {@code other}. */
    public boolean keyEquals(byte[] other) {
        return Arrays.equals(framed, KEY_OFFSET, KEY_OFFSET + keyLength, other, 0, other.length);
    }

    /** A copy of the key. */
    public byte[] key() {
        return Arrays.copyOfRange(framed, KEY_OFFSET, KEY_OFFSET + keyLength);
    }

    /** A copy of the value. */
    public byte[] value() {
        return Arrays.copyOfRange(framed, valueOffset(), valueOffset() + valueLength);
    }
}
