package dev.vigil.core.digest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import net.openhft.hashing.LongTupleHashFunction;
import org.jspecify.annotations.Nullable;

/**
 * How an item's 128-bit hash is computed from its key and value. {@link #XXH128} is the default: the
 * fastest 128-bit hash measured (docs/performance.md), ample against accidental differences. {@link #SHA256}
 * (truncated to 128 bits) is for tamper evidence, where someone might craft values to collide.
 */
public enum DigestAlgorithm {
    XXH128(1),
    SHA256(2);

    private static final LongTupleHashFunction XXH = LongTupleHashFunction.xx128(0x5649_4749_4c44_4731L);

    private final int id;

    DigestAlgorithm(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    public static DigestAlgorithm byId(int id) {
        for (DigestAlgorithm algorithm : values()) {
            if (algorithm.id == id) {
                return algorithm;
            }
        }
        throw new IllegalArgumentException("unknown digest algorithm id " + id);
    }

    /**
     * Hashes the framed item {@code keyLength(4) | key | value} held in {@code framed[0..length)} into
     * {@code out[0]} (high 64 bits) and {@code out[1]} (low 64 bits).
     */
    void hash(byte[] framed, int length, long[] out, @Nullable MessageDigest sha) {
        switch (this) {
            case XXH128 -> XXH.hashBytes(framed, 0, length, out);
            case SHA256 -> {
                MessageDigest hasher = Objects.requireNonNull(sha, "SHA-256 hashing needs a MessageDigest");
                hasher.reset();
                hasher.update(framed, 0, length);
                byte[] digest = hasher.digest();
                out[0] = toLong(digest, 0);
                out[1] = toLong(digest, 8);
            }
        }
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    static long toLong(byte[] bytes, int at) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (bytes[at + i] & 0xff);
        }
        return value;
    }
}
