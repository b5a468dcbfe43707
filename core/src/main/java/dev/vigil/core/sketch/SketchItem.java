package dev.vigil.core.sketch;

import dev.vigil.core.digest.ItemHasher;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One element of a sketched set: a key and the 128-bit hash of its item (key and value, as the digest hashes it).
 * The key travels as its {@link ItemHasher#keyHash 64-bit hash}, its length and its first {@code keyWidth} bytes; a key
 * no longer than the sketch's key width is therefore carried whole ({@link #keyComplete()}), a longer one by prefix and
 * hash.
 *
 * @param keyHash   {@link ItemHasher#keyHash} of the whole key (it also names the key's digest bucket)
 * @param keyLength the key's length in bytes
 * @param keyPrefix the key's first {@code min(keyLength, keyWidth)} bytes
 * @param itemHigh  the item hash's high 64 bits
 * @param itemLow   the item hash's low 64 bits
 */
public record SketchItem(long keyHash, int keyLength, byte[] keyPrefix, long itemHigh, long itemLow) {

    /** The element for {@code key} with item hash {@code item} ({@code [high, low]}), in a sketch of this key width. */
    public static SketchItem of(byte[] key, long[] item, int keyWidth) {
        return new SketchItem(
                ItemHasher.keyHash(key),
                key.length,
                key.length <= keyWidth ? key.clone() : Arrays.copyOf(key, keyWidth),
                item[0],
                item[1]);
    }

    /** Whether {@link #keyPrefix} is the whole key. */
    public boolean keyComplete() {
        return keyPrefix.length == keyLength;
    }

    /** Whether this and {@code other} are items of the same key (with any values). */
    public boolean sameKey(SketchItem other) {
        return keyHash == other.keyHash && keyLength == other.keyLength && Arrays.equals(keyPrefix, other.keyPrefix);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SketchItem item
                && sameKey(item)
                && itemHigh == item.itemHigh
                && itemLow == item.itemLow;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(keyHash) * 31 + Long.hashCode(itemLow);
    }

    @Override
    public String toString() {
        return "SketchItem[key=" + HexFormat.of().formatHex(keyPrefix) + (keyComplete() ? "" : "…") + ", length="
                + keyLength + ", keyHash=" + Long.toHexString(keyHash) + ", item=" + Long.toHexString(itemHigh)
                + Long.toHexString(itemLow) + "]";
    }
}
