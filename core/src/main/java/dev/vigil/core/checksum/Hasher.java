package dev.vigil.core.checksum;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.zip.CRC32C;

/** Incremental computation of a {@link Checksum}. Not thread safe; one instance per stream. */
public sealed interface Hasher permits Hasher.Crc32cHasher, Hasher.Sha256Hasher {

    void update(byte[] bytes, int offset, int length);

    void update(ByteBuffer buffer);

    default void update(byte[] bytes) {
        update(bytes, 0, bytes.length);
    }

    /** The checksum of everything passed so far. The hasher must not be used afterwards. */
    Checksum finish();

    final class Crc32cHasher implements Hasher {
        private final CRC32C crc = new CRC32C();

        @Override
        public void update(byte[] bytes, int offset, int length) {
            crc.update(bytes, offset, length);
        }

        @Override
        public void update(ByteBuffer buffer) {
            crc.update(buffer);
        }

        @Override
        public Checksum finish() {
            return Checksum.crc32c((int) crc.getValue());
        }
    }

    final class Sha256Hasher implements Hasher {
        private final MessageDigest digest;

        Sha256Hasher() {
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform must provide SHA-256", e);
            }
        }

        @Override
        public void update(byte[] bytes, int offset, int length) {
            digest.update(bytes, offset, length);
        }

        @Override
        public void update(ByteBuffer buffer) {
            digest.update(buffer);
        }

        @Override
        public Checksum finish() {
            return new Checksum(ChecksumAlgorithm.SHA256, digest.digest());
        }
    }
}
