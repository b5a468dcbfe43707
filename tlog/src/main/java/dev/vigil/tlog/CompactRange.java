package dev.vigil.tlog;

import java.util.ArrayList;
import java.util.List;

/**
 * The right edge of an RFC 6962 tree: the roots of its complete subtrees, largest first (one per set bit of its size),
 * which is all an auditor needs to keep to extend the tree leaf by leaf and know its root at every size it passes,
 * in O(log n) memory, without the leaves. Saved as {@link #size} and {@link #hashes} and restored with {@link #of}, it
 * lets an audit resume where the last one stopped. Not thread safe.
 */
public final class CompactRange {

    private long size;
    /** Complete subtree roots, the largest (leftmost) first; hashes.size() == bitCount(size). */
    private final List<byte[]> hashes;

    private CompactRange(long size, List<byte[]> hashes) {
        this.size = size;
        this.hashes = hashes;
    }

    /** The range of the empty tree. */
    public static CompactRange empty() {
        return new CompactRange(0, new ArrayList<>());
    }

    /**
     * A range saved earlier: the tree of {@code size} leaves with these complete subtree roots.
     *
     * @throws IllegalArgumentException when there is not one hash per set bit of {@code size}
     */
    public static CompactRange of(long size, List<byte[]> hashes) {
        if (size < 0 || hashes.size() != Long.bitCount(size)) {
            throw new IllegalArgumentException(
                    "a tree of " + size + " leaves has " + Long.bitCount(size) + " edge hashes, not " + hashes.size());
        }
        List<byte[]> copy = new ArrayList<>();
        for (byte[] hash : hashes) {
            if (hash.length != MerkleHashes.SIZE) {
                throw new IllegalArgumentException("an edge hash has " + MerkleHashes.SIZE + " bytes");
            }
            copy.add(hash.clone());
        }
        return new CompactRange(size, copy);
    }

    /** Appends one leaf by its hash. */
    public void append(byte[] leafHash) {
        byte[] carry = leafHash.clone();
        // Merge equal-sized subtrees at the right edge, as adding one to the size carries through its set low bits.
        for (long bits = size; (bits & 1) == 1; bits >>= 1) {
            carry = MerkleHashes.node(hashes.removeLast(), carry);
        }
        hashes.add(carry);
        size++;
    }

    public long size() {
        return size;
    }

    /** The complete subtree roots, largest first (copies). */
    public List<byte[]> hashes() {
        return hashes.stream().map(byte[]::clone).toList();
    }

    /** The root of the tree of {@link #size} leaves. */
    public byte[] root() {
        if (hashes.isEmpty()) {
            return MerkleHashes.empty();
        }
        byte[] root = hashes.getLast();
        for (int i = hashes.size() - 2; i >= 0; i--) {
            root = MerkleHashes.node(hashes.get(i), root);
        }
        return root.clone();
    }
}
