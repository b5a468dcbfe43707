package dev.vigil.core.summary;

import dev.vigil.core.digest.DigestAccumulator;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.digest.ItemFrame;
import dev.vigil.core.digest.ItemHasher;
import dev.vigil.core.sketch.DifferenceSketch;
import dev.vigil.core.sketch.SketchShape;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A state's digest and, when one is kept, its difference sketch, maintained together: each item is hashed once and the
 * hash goes to both. A put adds the new item and removes the old one, a delete removes it, in both. Not thread safe.
 */
public final class StateAccumulator {

    private final DigestAccumulator digest;
    private @Nullable DifferenceSketch sketch;
    private final long[] hash = new long[2];

    private StateAccumulator(DigestAccumulator digest, @Nullable DifferenceSketch sketch) {
        this.digest = digest;
        this.sketch = sketch;
    }

    /** A new, empty state; with a sketch of {@code shape} when present. */
    public static StateAccumulator create(DigestAlgorithm algorithm, int bucketBits, Optional<SketchShape> shape) {
        return new StateAccumulator(
                new DigestAccumulator(algorithm, bucketBits),
                shape.map(s -> DifferenceSketch.empty(s, algorithm)).orElse(null));
    }

    /** Continues from a digest and sketch kept earlier (they must describe the same state). */
    public static StateAccumulator resume(DigestAccumulator digest, Optional<DifferenceSketch> sketch) {
        return new StateAccumulator(digest, sketch.orElse(null));
    }

    /** Adds an item that is not present. */
    public void add(byte[] key, byte[] value) {
        apply(key, value, true);
    }

    /**
     * Adds the item {@code item} holds (not present): hashed where it lies, without copying its key or value; the key is
     * hashed once, for the digest's bucket and the sketch.
     */
    public void add(ItemFrame item) {
        digest.hasher().hash(item, hash);
        applyHashed(item.array(), ItemFrame.KEY_OFFSET, item.keyLength(), ItemHasher.keyHash(item), hash, true);
    }

    /** Removes an item that is present with exactly this value. */
    public void remove(byte[] key, byte[] value) {
        apply(key, value, false);
    }

    /**
     * Adds an item that is not present and writes its item hash ({@code [high, low]}) into {@code itemHash}, for a
     * caller that keeps it to {@link #removeHashed remove} the item later without its value; {@code keyHash} is the
     * key's {@link ItemHasher#keyHash}, which the caller has computed already.
     */
    public void add(byte[] key, long keyHash, byte[] value, long[] itemHash) {
        digest.hasher().hash(key, value, itemHash);
        applyHashed(key, keyHash, itemHash, true);
    }

    /**
     * Removes an item that is present, given its {@link ItemHasher#keyHash} and its item hash as {@link #add(byte[],
     * long, byte[], long[])} wrote it.
     */
    public void removeHashed(byte[] key, long keyHash, long[] itemHash) {
        applyHashed(key, keyHash, itemHash, false);
    }

    /**
     * Adds back an item by its {@link ItemHasher#keyHash} and item hash, as {@link #removeHashed} took it out (to undo
     * a removal).
     */
    public void addHashed(byte[] key, long keyHash, long[] itemHash) {
        applyHashed(key, keyHash, itemHash, true);
    }

    /** Writes the item hash of a key and value, as the digest computes it, into {@code itemHash}. */
    public void itemHash(byte[] key, byte[] value, long[] itemHash) {
        digest.hasher().hash(key, value, itemHash);
    }

    /** Hashes the item and its key once, for both the digest and the sketch. */
    private void apply(byte[] key, byte[] value, boolean add) {
        digest.hasher().hash(key, value, hash);
        applyHashed(key, hash, add);
    }

    private void applyHashed(byte[] key, long[] hash, boolean add) {
        applyHashed(key, ItemHasher.keyHash(key), hash, add);
    }

    private void applyHashed(byte[] key, long keyHash, long[] hash, boolean add) {
        applyHashed(key, 0, key.length, keyHash, hash, add);
    }

    /** The digest and sketch change of the item whose key is {@code bytes[offset..offset + length)}. */
    private void applyHashed(byte[] bytes, int offset, int length, long keyHash, long[] hash, boolean add) {
        int bucket = digest.hasher().bucketOf(keyHash);
        DifferenceSketch kept = sketch;
        if (add) {
            digest.addHashed(bucket, hash);
            if (kept != null) {
                kept.add(bytes, offset, length, keyHash, hash);
            }
        } else {
            digest.removeHashed(bucket, hash);
            if (kept != null) {
                kept.remove(bytes, offset, length, keyHash, hash);
            }
        }
    }

    /** Replaces the value of a key: removes {@code oldValue} (if the key was present) and adds {@code newValue}. */
    public void put(byte[] key, byte @Nullable [] oldValue, byte[] newValue) {
        if (oldValue != null) {
            remove(key, oldValue);
        }
        add(key, newValue);
    }

    /**
     * Adds every item {@code other} holds (disjoint from this one's items, accumulated apart) to the digest and, when
     * kept, the sketch; both must keep a sketch of the same shape or neither.
     */
    public void addAll(StateAccumulator other) {
        DifferenceSketch mine = sketch;
        DifferenceSketch theirs = other.sketch;
        if ((mine == null) != (theirs == null)) {
            throw new IllegalArgumentException("cannot add a state " + (theirs == null ? "without" : "with")
                    + " a sketch to one " + (mine == null ? "without" : "with") + " a sketch");
        }
        digest.addAll(other.digest);
        if (mine != null && theirs != null) {
            mine.addAll(theirs);
        }
    }

    /** Continues with {@code replacement} as the sketch of the current state (built from it some other way). */
    public void replaceSketch(DifferenceSketch replacement) {
        this.sketch = replacement;
    }

    public DigestAccumulator digest() {
        return digest;
    }

    /** The sketch as it stands (live: later changes show), when one is kept. */
    public Optional<DifferenceSketch> sketch() {
        return Optional.ofNullable(sketch);
    }
}
