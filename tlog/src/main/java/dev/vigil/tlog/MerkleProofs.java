package dev.vigil.tlog;

import java.security.MessageDigest;
import java.util.List;

/**
 * Verification of RFC 6962 proofs as RFC 9162 specifies it (§2.1.3.2 inclusion, §2.1.4.2 consistency): what an auditor
 * runs with nothing but a checkpoint's root and the proof. Every answer is a plain yes or no; a proof of the wrong
 * length, a size out of range or any wrong hash is no. Stateless.
 */
public final class MerkleProofs {

    private MerkleProofs() {}

    /** Whether {@code proof} shows leaf {@code leafHash} at {@code index} in the tree of {@code size} with {@code root}. */
    public static boolean verifyInclusion(long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root) {
        if (index < 0 || index >= size) {
            return false;
        }
        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = MerkleHashes.node(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = MerkleHashes.node(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(r, root);
    }

    /**
     * Whether {@code proof} shows that the tree of {@code second} leaves with {@code secondRoot} extends the tree of
     * {@code first} leaves with {@code firstRoot}: every entry of the first still there, unchanged, in its place.
     */
    public static boolean verifyConsistency(
            long first, long second, byte[] firstRoot, byte[] secondRoot, List<byte[]> proof) {
        if (first < 0 || first > second) {
            return false;
        }
        if (first == second) {
            return proof.isEmpty() && MessageDigest.isEqual(firstRoot, secondRoot);
        }
        if (first == 0) {
            return proof.isEmpty() && MessageDigest.isEqual(firstRoot, MerkleHashes.empty());
        }
        if (proof.isEmpty()) {
            return false;
        }
        int next = 0;
        byte[] start;
        if (Long.bitCount(first) == 1) {
            start = firstRoot;
        } else {
            start = proof.get(next++);
        }
        long fn = first - 1;
        long sn = second - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = start;
        byte[] sr = start;
        for (; next < proof.size(); next++) {
            byte[] c = proof.get(next);
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = MerkleHashes.node(c, fr);
                sr = MerkleHashes.node(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                sr = MerkleHashes.node(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(fr, firstRoot) && MessageDigest.isEqual(sr, secondRoot);
    }
}
