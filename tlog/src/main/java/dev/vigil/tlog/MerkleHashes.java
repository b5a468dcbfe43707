package dev.vigil.tlog;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The hashes of an RFC 6962 (RFC 9162 §2.1.1) Merkle tree with SHA-256: a leaf is hashed behind a {@code 0x00} byte
 * and an interior node behind {@code 0x01}, so no leaf can pass for a node (second preimages across levels); the empty
 * tree's hash is SHA-256 of nothing. Stateless; every call uses its own digest.
 */
public final class MerkleHashes {

    /** Bytes in every hash. */
    public static final int SIZE = 32;

    private static final byte LEAF_PREFIX = 0x00;
    private static final byte NODE_PREFIX = 0x01;

    private MerkleHashes() {}

    /** The root of the tree of no leaves. */
    public static byte[] empty() {
        return sha256().digest();
    }

    /** The hash of a leaf whose data is {@code data}. */
    public static byte[] leaf(byte[] data) {
        MessageDigest digest = sha256();
        digest.update(LEAF_PREFIX);
        digest.update(data);
        return digest.digest();
    }

    /** The hash of an interior node over {@code left} and {@code right}. */
    public static byte[] node(byte[] left, byte[] right) {
        MessageDigest digest = sha256();
        digest.update(NODE_PREFIX);
        digest.update(left);
        digest.update(right);
        return digest.digest();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
