package dev.vigil.tlog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An append-only RFC 6962 Merkle tree over leaf hashes, in memory: its root at any size it has had, the inclusion proof
 * of a leaf in a tree of a given size ({@code PATH}, RFC 6962 §2.1.1) and the consistency proof between two sizes
 * ({@code PROOF}, §2.1.2), as {@link MerkleProofs} verifies them. The hashes of complete subtrees (aligned, a power of
 * two leaves) are kept once computed, so proofs cost O(log n) hashes after the first. Not thread safe.
 */
public final class MerkleTree {

    private final List<byte[]> leaves = new ArrayList<>();
    /** Complete subtrees' hashes by (start, size), each a power of two and start a multiple of it. */
    private final Map<Span, byte[]> complete = new HashMap<>();

    private record Span(long start, long size) {}

    /** Appends a leaf by its hash ({@link MerkleHashes#leaf}); returns its index. */
    public long append(byte[] leafHash) {
        if (leafHash.length != MerkleHashes.SIZE) {
            throw new IllegalArgumentException(
                    "a leaf hash has " + MerkleHashes.SIZE + " bytes, not " + leafHash.length);
        }
        leaves.add(leafHash.clone());
        return leaves.size() - 1L;
    }

    public long size() {
        return leaves.size();
    }

    /** The leaf hash at {@code index}. */
    public byte[] leafHash(long index) {
        return leaves.get(Math.toIntExact(index)).clone();
    }

    /** The root of the tree of the first {@code size} leaves. */
    public byte[] root(long size) {
        requireSize(size);
        return size == 0 ? MerkleHashes.empty() : hash(0, size);
    }

    /** The inclusion proof of leaf {@code index} in the tree of the first {@code size} leaves (empty for one leaf). */
    public List<byte[]> inclusionProof(long index, long size) {
        requireSize(size);
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + size);
        }
        List<byte[]> proof = new ArrayList<>();
        path(index, 0, size, proof);
        return proof;
    }

    /** The proof that the tree of the first {@code second} leaves extends the tree of the first {@code first}. */
    public List<byte[]> consistencyProof(long first, long second) {
        requireSize(second);
        if (first < 0 || first > second) {
            throw new IllegalArgumentException("no consistency proof from size " + first + " to " + second);
        }
        List<byte[]> proof = new ArrayList<>();
        if (first > 0 && first < second) {
            subproof(first, 0, second, true, proof);
        }
        return proof;
    }

    private void requireSize(long size) {
        if (size < 0 || size > leaves.size()) {
            throw new IllegalArgumentException("the tree has " + leaves.size() + " leaves, not " + size);
        }
    }

    /** MTH of leaves [start, start + n), n ≥ 1. */
    private byte[] hash(long start, long n) {
        if (n == 1) {
            return leaves.get(Math.toIntExact(start));
        }
        boolean whole = Long.bitCount(n) == 1 && start % n == 0;
        if (whole) {
            byte[] known = complete.get(new Span(start, n));
            if (known != null) {
                return known;
            }
        }
        long k = split(n);
        byte[] hash = MerkleHashes.node(hash(start, k), hash(start + k, n - k));
        if (whole) {
            complete.put(new Span(start, n), hash);
        }
        return hash;
    }

    /** PATH(m, D[start : start + n]), appended leaf-side first. */
    private void path(long m, long start, long n, List<byte[]> proof) {
        if (n == 1) {
            return;
        }
        long k = split(n);
        if (m < k) {
            path(m, start, k, proof);
            proof.add(hash(start + k, n - k));
        } else {
            path(m - k, start + k, n - k, proof);
            proof.add(hash(start, k));
        }
    }

    /** SUBPROOF(m, D[start : start + n], b). */
    private void subproof(long m, long start, long n, boolean completeSubtree, List<byte[]> proof) {
        if (m == n) {
            if (!completeSubtree) {
                proof.add(hash(start, n));
            }
            return;
        }
        long k = split(n);
        if (m <= k) {
            subproof(m, start, k, completeSubtree, proof);
            proof.add(hash(start + k, n - k));
        } else {
            subproof(m - k, start + k, n - k, false, proof);
            proof.add(hash(start, k));
        }
    }

    /** The largest power of two smaller than {@code n} (n ≥ 2): where RFC 6962 splits a tree. */
    static long split(long n) {
        return Long.highestOneBit(n - 1);
    }
}
