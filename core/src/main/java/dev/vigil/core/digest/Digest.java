package dev.vigil.core.digest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import java.util.zip.CRC32C;

/**
 * The digest of a key-value state (a replica, or the reference at some LSN): per bucket, the sum of its
 * items' 128-bit hashes modulo 2^128 and the item count, and a root over all buckets. Two states with equal
 * roots hold the same items (with overwhelming probability); otherwise {@link #differingBuckets} says
 * which buckets to drill into. Immutable and thread safe.
 *
 * <p>Binary encoding, version 1, big-endian: {@code "VGDG"}, version (1 byte), algorithm id (1), bucket bits
 * (1), reserved 0 (1), item count (8), then per bucket high sum (8), low sum (8), count (8), then a CRC32C
 * (4) of everything before it. 4096 buckets encode in 98,324 bytes.
 */
public final class Digest {

    public static final int DEFAULT_BUCKET_BITS = 12;

    private static final byte[] MAGIC = {'V', 'G', 'D', 'G'};
    private static final int VERSION = 1;
    private static final int HEADER = 4 + 4 + 8;

    private final DigestAlgorithm algorithm;
    private final int bucketBits;
    private final long[] high;
    private final long[] low;
    private final long[] counts;
    private final byte[] root;

    Digest(DigestAlgorithm algorithm, int bucketBits, long[] high, long[] low, long[] counts) {
        this.algorithm = algorithm;
        this.bucketBits = bucketBits;
        this.high = high;
        this.low = low;
        this.counts = counts;
        this.root = computeRoot();
    }

    /** The digest of an empty state. */
    public static Digest empty(DigestAlgorithm algorithm, int bucketBits) {
        return new DigestAccumulator(algorithm, bucketBits).snapshot();
    }

    public DigestAlgorithm algorithm() {
        return algorithm;
    }

    public int bucketCount() {
        return counts.length;
    }

    public int bucketBits() {
        return bucketBits;
    }

    public long itemCount() {
        return Arrays.stream(counts).sum();
    }

    public long bucketItems(int bucket) {
        return counts[bucket];
    }

    /** The sum of a bucket's item hashes modulo 2^128: {@code [high, low]}. */
    public long[] bucketSum(int bucket) {
        return new long[] {high[bucket], low[bucket]};
    }

    /** SHA-256 over the algorithm, bucket count and every bucket. */
    public byte[] root() {
        return root.clone();
    }

    public String rootHex() {
        return HexFormat.of().formatHex(root);
    }

    public boolean sameAs(Digest other) {
        return Arrays.equals(root, other.root);
    }

    /**
     * The buckets whose sum or count differ, in bucket order.
     *
     * @throws IllegalArgumentException when the digests were made with different algorithms or bucket counts
     */
    public List<Integer> differingBuckets(Digest other) {
        if (algorithm != other.algorithm || bucketBits != other.bucketBits) {
            throw new IllegalArgumentException(
                    "cannot compare a " + describe() + " digest with a " + other.describe() + " one");
        }
        return IntStream.range(0, counts.length)
                .filter(b -> high[b] != other.high[b] || low[b] != other.low[b] || counts[b] != other.counts[b])
                .boxed()
                .toList();
    }

    void copyInto(long[] highs, long[] lows, long[] itemCounts) {
        System.arraycopy(high, 0, highs, 0, high.length);
        System.arraycopy(low, 0, lows, 0, low.length);
        System.arraycopy(counts, 0, itemCounts, 0, counts.length);
    }

    public byte[] encode() {
        ByteBuffer buffer = ByteBuffer.allocate(HEADER + counts.length * 24 + 4);
        buffer.put(MAGIC)
                .put((byte) VERSION)
                .put((byte) algorithm.id())
                .put((byte) bucketBits)
                .put((byte) 0);
        buffer.putLong(itemCount());
        for (int b = 0; b < counts.length; b++) {
            buffer.putLong(high[b]).putLong(low[b]).putLong(counts[b]);
        }
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), 0, buffer.position());
        buffer.putInt((int) crc.getValue());
        return buffer.array();
    }

    /**
     * Decodes {@link #encode()}'s bytes.
     *
     * @throws IOException naming {@code source} and the problem when the bytes are not a valid digest
     */
    public static Digest decode(byte[] bytes, String source) throws IOException {
        if (bytes.length < HEADER + 4 || !Arrays.equals(bytes, 0, 4, MAGIC, 0, 4)) {
            throw new IOException(source + ": not a Vigil digest");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        if ((int) crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt()) {
            throw new IOException(source + ": digest checksum mismatch: the digest is damaged");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        buffer.position(4);
        int version = buffer.get();
        if (version != VERSION) {
            throw new IOException(source + ": unsupported digest version " + version);
        }
        DigestAlgorithm algorithm;
        try {
            algorithm = DigestAlgorithm.byId(buffer.get());
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
        int bits = buffer.get();
        buffer.get();
        long items = buffer.getLong();
        if (bits < 0 || bits > 20 || bytes.length != HEADER + (24 << bits) + 4) {
            throw new IOException(
                    source + ": digest of " + bytes.length + " bytes does not hold 2^" + bits + " buckets");
        }
        int buckets = 1 << bits;
        long[] high = new long[buckets];
        long[] low = new long[buckets];
        long[] counts = new long[buckets];
        for (int b = 0; b < buckets; b++) {
            high[b] = buffer.getLong();
            low[b] = buffer.getLong();
            counts[b] = buffer.getLong();
        }
        Digest digest = new Digest(algorithm, bits, high, low, counts);
        if (digest.itemCount() != items) {
            throw new IOException(
                    source + ": digest says " + items + " items but its buckets hold " + digest.itemCount());
        }
        return digest;
    }

    /** A summary for JSON reports: algorithm, buckets, items, root. */
    public DigestSummary summary() {
        return new DigestSummary(algorithm.name().toLowerCase(Locale.ROOT), bucketCount(), itemCount(), rootHex());
    }

    private String describe() {
        return algorithm + "/" + bucketCount() + "-bucket";
    }

    private byte[] computeRoot() {
        MessageDigest sha = DigestAlgorithm.newSha256();
        ByteBuffer buffer = ByteBuffer.allocate(24);
        sha.update(new byte[] {(byte) algorithm.id(), (byte) bucketBits});
        for (int b = 0; b < counts.length; b++) {
            buffer.clear();
            buffer.putLong(high[b]).putLong(low[b]).putLong(counts[b]);
            sha.update(buffer.array());
        }
        return sha.digest();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Digest that
                && algorithm == that.algorithm
                && bucketBits == that.bucketBits
                && Arrays.equals(root, that.root);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(root);
    }

    @Override
    public String toString() {
        return "Digest[" + describe() + ", " + itemCount() + " items, root "
                + rootHex().substring(0, 16) + "…]";
    }
}
