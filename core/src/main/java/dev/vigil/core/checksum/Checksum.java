package dev.vigil.core.checksum;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A checksum value and the algorithm that produced it. Text form {@code <algorithm>:<hex>}, e.g.
 * {@code crc32c:1a2b3c4d}; S3 headers carry the same bytes in base64 ({@link #base64()}).
 */
public record Checksum(ChecksumAlgorithm algorithm, byte[] value) {

    private static final HexFormat HEX = HexFormat.of();

    public Checksum {
        if (algorithm == null) {
            throw new IllegalArgumentException("checksum algorithm is required");
        }
        if (value == null || value.length != algorithm.length()) {
            throw new IllegalArgumentException(algorithm.label() + " checksum must be " + algorithm.length()
                    + " bytes, was " + (value == null ? "null" : value.length));
        }
        value = value.clone();
    }

    /** A CRC32C checksum from the {@code int} that {@link java.util.zip.CRC32C} computes (big-endian bytes). */
    public static Checksum crc32c(int crc) {
        return new Checksum(
                ChecksumAlgorithm.CRC32C,
                new byte[] {(byte) (crc >>> 24), (byte) (crc >>> 16), (byte) (crc >>> 8), (byte) crc});
    }

    /** Computes the checksum of {@code bytes}. */
    public static Checksum of(ChecksumAlgorithm algorithm, byte[] bytes) {
        Hasher hasher = algorithm.newHasher();
        hasher.update(bytes);
        return hasher.finish();
    }

    /** Computes the checksum of the file at {@code path}, reading it once. */
    public static Checksum of(ChecksumAlgorithm algorithm, Path path) throws IOException {
        Hasher hasher = algorithm.newHasher();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(path)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                hasher.update(buffer, 0, n);
            }
        }
        return hasher.finish();
    }

    /**
     * Parses the text form.
     *
     * @throws IllegalArgumentException naming the text when it is malformed
     */
    public static Checksum parse(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("checksum '" + text + "' is not of the form <algorithm>:<hex>");
        }
        ChecksumAlgorithm algorithm = ChecksumAlgorithm.fromLabel(text.substring(0, colon));
        byte[] value;
        try {
            value = HEX.parseHex(text.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("checksum '" + text + "' has a malformed hex value", e);
        }
        return new Checksum(algorithm, value);
    }

    /** A copy of the checksum bytes. */
    @Override
    public byte[] value() {
        return value.clone();
    }

    public String hex() {
        return HEX.formatHex(value);
    }

    public String base64() {
        return Base64.getEncoder().encodeToString(value);
    }

    /** The CRC32C as an {@code int}; only for {@link ChecksumAlgorithm#CRC32C}. */
    public int crc32cValue() {
        if (algorithm != ChecksumAlgorithm.CRC32C) {
            throw new IllegalStateException("not a crc32c checksum: " + this);
        }
        return ((value[0] & 0xff) << 24) | ((value[1] & 0xff) << 16) | ((value[2] & 0xff) << 8) | (value[3] & 0xff);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Checksum that && algorithm == that.algorithm && Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return 31 * algorithm.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return algorithm.label() + ":" + hex();
    }
}
