package dev.vigil.encryption;

import dev.vigil.core.store.EncryptedObjects;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The header in front of every object Vigil encrypts, in the object's own bytes so that it is self-describing wherever
 * it is copied:
 *
 * <pre>
 *   magic        8 bytes  "VIGILENC"
 *   version      1 byte   1
 *   suite        1 byte   1 = AES256_GCM_HKDF_1MB (Tink streaming AEAD, 1 MiB segments, HKDF-SHA256)
 *   key id       2-byte length (1..256) + UTF-8: the key that wrapped the data key (a keyring id, a KMS key ARN)
 *   wrapped key  2-byte length (1..1024) + bytes: the object's data key, wrapped (see {@link KeyEncryptionKeys})
 * </pre>
 *
 * followed by the streaming ciphertext, whose associated data is this header plus the repository id and the object
 * key ({@link EnvelopeContext}). An object that does not start with the magic is plaintext (written before encryption
 * was switched on); one that starts with it and does not parse is damaged. Immutable.
 */
record EnvelopeHeader(int version, int suite, String keyId, byte[] wrappedKey) {

    static final byte[] MAGIC = EncryptedObjects.MAGIC;
    static final int VERSION = 1;
    static final int SUITE_AES256_GCM_HKDF_1MB = 1;
    static final int MAX_KEY_ID = 256;
    /** Longest id of a keyring key (a KMS key ARN is longer, up to {@link #MAX_KEY_ID}). */
    static final int MAX_KEYRING_ID = 64;

    static final int MAX_WRAPPED_KEY = 1024;

    EnvelopeHeader {
        wrappedKey = wrappedKey.clone();
    }

    @Override
    public byte[] wrappedKey() {
        return wrappedKey.clone();
    }

    /** The header's bytes, as written in front of the ciphertext. */
    byte[] encode() {
        byte[] id = keyId.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeByte(version);
            out.writeByte(suite);
            out.writeShort(id.length);
            out.write(id);
            out.writeShort(wrappedKey.length);
            out.write(wrappedKey);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /** Whether {@code prefix} (the object's first bytes, at least {@link #MAGIC}'s length when it has them) is one. */
    static boolean startsWithMagic(byte[] prefix) {
        return EncryptedObjects.startsEncrypted(prefix);
    }

    /**
     * Reads a header whose magic has been consumed already; throws {@link DamagedHeader} naming what is wrong when the
     * bytes after the magic are not a header this Vigil reads.
     */
    static EnvelopeHeader readAfterMagic(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        try {
            int version = data.readUnsignedByte();
            if (version != VERSION) {
                throw new DamagedHeader("format version " + version + ", this Vigil reads " + VERSION
                        + " (written by a newer Vigil? upgrade this one)");
            }
            int suite = data.readUnsignedByte();
            if (suite != SUITE_AES256_GCM_HKDF_1MB) {
                throw new DamagedHeader("unknown cipher suite " + suite);
            }
            int idLength = data.readUnsignedShort();
            if (idLength < 1 || idLength > MAX_KEY_ID) {
                throw new DamagedHeader("key id length " + idLength + " outside 1.." + MAX_KEY_ID);
            }
            String keyId = new String(data.readNBytes(idLength), StandardCharsets.UTF_8);
            if (keyId.length() == 0 || keyId.getBytes(StandardCharsets.UTF_8).length != idLength) {
                throw new DamagedHeader("the header ends inside the key id");
            }
            int wrappedLength = data.readUnsignedShort();
            if (wrappedLength < 1 || wrappedLength > MAX_WRAPPED_KEY) {
                throw new DamagedHeader("wrapped key length " + wrappedLength + " outside 1.." + MAX_WRAPPED_KEY);
            }
            byte[] wrapped = data.readNBytes(wrappedLength);
            if (wrapped.length != wrappedLength) {
                throw new DamagedHeader("the header ends inside the wrapped key");
            }
            return new EnvelopeHeader(version, suite, keyId, wrapped);
        } catch (EOFException e) {
            throw new DamagedHeader("the object ends inside its encryption header");
        }
    }

    /** Why {@code keyId} cannot be carried by this format; empty when it can. */
    static Optional<String> invalidKeyId(String keyId) {
        int length = keyId.getBytes(StandardCharsets.UTF_8).length;
        if (length < 1 || length > MAX_KEYRING_ID) {
            return Optional.of("a key id is 1 to " + MAX_KEYRING_ID + " characters, '" + keyId + "' is " + length);
        }
        if (!keyId.matches("[A-Za-z0-9._-]+")) {
            return Optional.of("a key id is letters, digits, '.', '_' and '-'; '" + keyId + "' is not");
        }
        return Optional.empty();
    }

    /** What is wrong with a header that starts with the magic but is not one this Vigil reads. */
    static final class DamagedHeader extends IOException {
        private static final long serialVersionUID = 1L;

        DamagedHeader(String detail) {
            super(detail);
        }
    }
}
