package dev.vigil.core.checksum;

import java.util.Locale;

/**
 * Whole-object checksum algorithms Vigil computes itself. CRC32C is the default: it is what S3 can
 * validate on ingest ({@code x-amz-checksum-crc32c}), it is hardware-accelerated, and it detects all
 * accidental corruption of the kinds storage produces (bursts up to 32 bits, any odd number of flipped
 * bits). SHA-256 is offered where an adversary, not bit rot, is the threat.
 */
public enum ChecksumAlgorithm {
    CRC32C(4),
    SHA256(32);

    private final int length;

    ChecksumAlgorithm(int length) {
        this.length = length;
    }

    /** Length of the checksum value in bytes. */
    public int length() {
        return length;
    }

    /** A fresh hasher for this algorithm; not thread safe. */
    public Hasher newHasher() {
        return switch (this) {
            case CRC32C -> new Hasher.Crc32cHasher();
            case SHA256 -> new Hasher.Sha256Hasher();
        };
    }

    /** The lower-case name used in text forms and configuration, e.g. {@code crc32c}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@link #label()} (case-insensitive). */
    public static ChecksumAlgorithm fromLabel(String label) {
        for (ChecksumAlgorithm algorithm : values()) {
            if (algorithm.label().equalsIgnoreCase(label)) {
                return algorithm;
            }
        }
        throw new IllegalArgumentException("unknown checksum algorithm '" + label + "' (known: crc32c, sha256)");
    }
}
