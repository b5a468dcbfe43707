package dev.vigil.core.store;

import dev.vigil.core.checksum.Checksum;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What every process knows of encrypted objects, with or without keys: an encrypted object starts with
 * {@link #MAGIC} (the encryption module writes the rest of its header) and names its key in the
 * {@value #KEY_ID_METADATA} metadata. A process without an {@code encryption:} section opens the repository through
 * {@link #keyless}: it reads plaintext objects as before and refuses to hand out an encrypted object's bytes as if they
 * were content ({@link UndecryptableObjectException}), while {@link ObjectStore#rehashStored} still proves that its
 * stored bytes are intact. Stateless.
 */
public final class EncryptedObjects {

    /** The first bytes of every encrypted object. */
    public static final byte[] MAGIC = "VIGILENC".getBytes(StandardCharsets.US_ASCII);

    /** Metadata: the id of the key that wrapped the object's data key. */
    public static final String KEY_ID_METADATA = "vigil-key-id";

    /** Metadata: the plaintext's size in bytes. */
    public static final String PLAIN_SIZE_METADATA = "vigil-plain-size";

    /** Metadata: the plaintext's checksum, as its writer computed it. */
    public static final String PLAIN_CHECKSUM_METADATA = "vigil-plain-checksum";

    private EncryptedObjects() {}

    /**
     * What a store says about an object, in plaintext terms when it is encrypted (its size and checksum as written,
     * from its metadata): what the archiver and the node-copy check compare with a local segment, with or without
     * keys. A plaintext object's info is returned as it is.
     *
     * @throws ObjectCorruptException when an encrypted object's plaintext metadata is missing or invalid
     */
    public static ObjectInfo plainInfo(ObjectInfo info, String store) throws ObjectCorruptException {
        String keyId = info.metadata().get(KEY_ID_METADATA);
        if (keyId == null) {
            return info;
        }
        try {
            return new ObjectInfo(
                    info.key(),
                    Long.parseLong(info.metadata().getOrDefault(PLAIN_SIZE_METADATA, "")),
                    Checksum.parse(info.metadata().getOrDefault(PLAIN_CHECKSUM_METADATA, "")),
                    callersMetadata(info.metadata()),
                    info.lastModified());
        } catch (RuntimeException e) {
            throw new ObjectCorruptException(
                    store,
                    info.key(),
                    "encrypted under key " + keyId + " but its " + PLAIN_SIZE_METADATA + "/" + PLAIN_CHECKSUM_METADATA
                            + " metadata is missing or invalid");
        }
    }

    /** An object's metadata as its writer gave it, without what encryption adds. */
    public static Map<String, String> callersMetadata(Map<String, String> stored) {
        Map<String, String> metadata = new HashMap<>(stored);
        metadata.keySet().removeAll(List.of(KEY_ID_METADATA, PLAIN_SIZE_METADATA, PLAIN_CHECKSUM_METADATA));
        return metadata;
    }

    /** Whether {@code prefix} (an object's first bytes) starts like an encrypted object. */
    public static boolean startsEncrypted(byte[] prefix) {
        return prefix.length >= MAGIC.length && Arrays.equals(prefix, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /** {@code store} for a process without keys: encrypted objects are refused by name, never read as content. */
    public static ObjectStore keyless(ObjectStore store) {
        return new Keyless(store);
    }

    private static final class Keyless extends ForwardingObjectStore {
        private final ObjectStore delegate;

        Keyless(ObjectStore delegate) {
            super(delegate);
            this.delegate = delegate;
        }

        /**
         * In plaintext terms, as with keys: a node without keys compares an archived segment with its own copy by the
         * plaintext's size and checksum, and must not take an encrypted copy for a divergent one.
         */
        @Override
        public ObjectInfo head(String key) throws IOException {
            return plainInfo(delegate.head(key), describe());
        }

        /** Puts are the delegate's own, confirmation included (an S3 store confirms without a second request). */
        @Override
        public ObjectInfo putConfirmed(PutRequest request) throws IOException {
            return delegate.putConfirmed(request);
        }

        @Override
        public ObjectStream get(String key) throws IOException {
            ObjectStream raw = delegate.get(key);
            try {
                byte[] prefix = raw.readNBytes(MAGIC.length);
                if (startsEncrypted(prefix)) {
                    throw refused(key, raw.info());
                }
                // The stored checksum is verified by the delegate's stream at its end; only the length is checked here.
                return ObjectStream.ranged(
                        new SequenceInputStream(new ByteArrayInputStream(prefix), raw),
                        describe(),
                        raw.info(),
                        raw.info().size());
            } catch (IOException | RuntimeException e) {
                raw.close();
                throw e;
            }
        }

        @Override
        public ObjectStream get(String key, ByteRange range) throws IOException {
            ObjectInfo info = delegate.head(key);
            if (info.metadata().containsKey(KEY_ID_METADATA)) {
                throw refused(key, info);
            }
            return delegate.get(key, range);
        }

        private UndecryptableObjectException refused(String key, ObjectInfo info) {
            return new UndecryptableObjectException(
                    describe() + ": " + key + " is encrypted (key "
                            + info.metadata().getOrDefault(KEY_ID_METADATA, "unknown")
                            + ") and this configuration has no"
                            + " encryption: section; its stored bytes can be re-hashed (vigil verify archive) but not read:"
                            + " add encryption: with the repository's keyring and repository-id",
                    false);
        }
    }
}
