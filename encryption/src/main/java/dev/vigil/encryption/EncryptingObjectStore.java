package dev.vigil.encryption;

import com.google.crypto.tink.subtle.AesGcmHkdfStreaming;
import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.Hasher;
import dev.vigil.core.io.Leftovers;
import dev.vigil.core.io.ProcessTag;
import dev.vigil.core.store.ByteRange;
import dev.vigil.core.store.ChecksumMismatchException;
import dev.vigil.core.store.EncryptedObjects;
import dev.vigil.core.store.ForwardingObjectStore;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectCorruptException;
import dev.vigil.core.store.ObjectInfo;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.PutRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Envelope encryption of every object written through it, transparent to the features above: they put and get
 * plaintext, with the plaintext's checksum, and the repository holds ciphertext.
 *
 * <p><b>Writing.</b> Each object gets a fresh 256-bit data key, wrapped under the active key-encryption key
 * ({@link KeyEncryptionKeys}) and written in the object's {@link EnvelopeHeader}; the body follows as Tink's streaming
 * AEAD ({@code AES256_GCM_HKDF_1MB}: 1 MiB segments, each authenticated, truncation detected), bound to the repository
 * id and the object key ({@link EnvelopeContext}). The body is encrypted once, into memory up to
 * {@link #IN_MEMORY_LIMIT} or else into a file under the scratch directory (a 1 GiB segment is never held in memory,
 * and a store that retries an upload reads the same ciphertext again); the caller's checksum is verified over the
 * plaintext on the way (a mismatch stores nothing), and the store is given the checksum of the ciphertext, so
 * {@code vigil-checksum} covers what is stored and re-hashing the bucket needs no key. The plaintext's size and checksum
 * ride along as metadata ({@value #PLAIN_SIZE}, {@value #PLAIN_CHECKSUM}, {@value #KEY_ID}), so {@link #head} and a
 * confirmed put answer in plaintext terms, as the features compare them with local files.
 *
 * <p><b>Reading.</b> An object without the header's magic is plaintext (written before encryption was switched on) and
 * is returned as it is. An encrypted one is decrypted as it streams and verified twice: the store re-hashes the
 * ciphertext against its checksum, and the plaintext is hashed against the recorded plaintext checksum at the end.
 * When decryption fails the rest of the ciphertext is read first, so that damage is named as damage (the ciphertext
 * does not match its checksum: {@link ObjectCorruptException}) and only intact bytes that do not open are a key
 * problem ({@link KeyUnavailableException}, {@link WrongKeyException}). Nothing unauthenticated is ever returned: a
 * reader sees an exception before the stream ends. A ranged read decrypts from the start and skips (ranged reads are
 * rare: a segment's first bytes).
 *
 * <p>Listings ({@link #list}) report stored sizes, which for an encrypted object are the ciphertext's; nothing compares
 * a listed size with a plaintext length. Thread safe if the delegate is.
 */
public final class EncryptingObjectStore extends ForwardingObjectStore {

    /** Metadata: the id of the key that wrapped the object's data key. */
    public static final String KEY_ID = EncryptedObjects.KEY_ID_METADATA;
    /** Metadata: the plaintext's size in bytes. */
    public static final String PLAIN_SIZE = EncryptedObjects.PLAIN_SIZE_METADATA;
    /** Metadata: the plaintext's checksum, as the writer computed it. */
    public static final String PLAIN_CHECKSUM = EncryptedObjects.PLAIN_CHECKSUM_METADATA;

    /** Bodies up to this many bytes are encrypted in memory; larger ones into a scratch file. */
    static final long IN_MEMORY_LIMIT = 8L << 20;

    private static final int DATA_KEY_BYTES = 32;
    private static final String SCRATCH_PREFIX = "encrypting-";
    private static final int SEGMENT_BYTES = 1 << 20;

    private final ObjectStore delegate;
    private final KeyEncryptionKeys keys;
    private final String repositoryId;
    private final Path scratch;

    /**
     * Removes the scratch files of uploads that a dead process of this host left behind (killed while encrypting or
     * uploading); those of live processes and other hosts are never touched. Called once when a process opens the
     * repository.
     *
     * @return what was removed
     */
    public static List<Leftovers.Removed> sweepScratch(Path scratch) throws IOException {
        return Leftovers.sweep(scratch, name -> name.startsWith(SCRATCH_PREFIX));
    }

    /**
     * @param repositoryId what every object is bound to ({@code encryption.repository-id}); the same for the
     *                     repository's whole life
     * @param scratch      where bodies too large for memory are encrypted before upload (created when needed)
     */
    public EncryptingObjectStore(ObjectStore delegate, KeyEncryptionKeys keys, String repositoryId, Path scratch) {
        super(delegate);
        this.delegate = delegate;
        this.keys = keys;
        this.repositoryId = repositoryId;
        this.scratch = scratch;
    }

    @Override
    public ObjectInfo put(PutRequest request) throws IOException {
        try (Encrypted encrypted = encrypt(request)) {
            return encrypted.plain(delegate.put(encrypted.request()));
        }
    }

    @Override
    public ObjectInfo putConfirmed(PutRequest request) throws IOException {
        try (Encrypted encrypted = encrypt(request)) {
            ObjectInfo stored = delegate.putConfirmed(encrypted.request());
            // Only what the store confirms it holds, exactly as sent, is reported in plaintext terms; anything else is
            // handed up as the store reported it, so the caller sees the mismatch and does not count the object.
            return stored.size() == encrypted.request().body().length()
                            && stored.checksum().equals(encrypted.request().checksum())
                    ? encrypted.plain(stored)
                    : stored;
        }
    }

    /** Closes the store beneath, then the key source when it holds a connection (KMS). */
    @Override
    public void close() throws IOException {
        try {
            super.close();
        } finally {
            if (keys instanceof Closeable closeable) {
                closeable.close();
            }
        }
    }

    @Override
    public ObjectInfo head(String key) throws IOException {
        return plainInfo(delegate.head(key));
    }

    @Override
    public ObjectStream get(String key) throws IOException {
        ObjectStream raw = delegate.get(key);
        try {
            byte[] prefix = raw.readNBytes(EnvelopeHeader.MAGIC.length);
            if (!EnvelopeHeader.startsWithMagic(prefix)) {
                // The stored checksum is verified by the delegate's stream at its end; only the length is checked here.
                return ObjectStream.ranged(
                        new SequenceInputStream(new ByteArrayInputStream(prefix), raw),
                        describe(),
                        raw.info(),
                        raw.info().size());
            }
            return decrypting(key, raw);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    @Override
    public ObjectStream get(String key, ByteRange range) throws IOException {
        ObjectStream whole = get(key);
        try {
            long size = whole.info().size();
            if (range.offset() >= size) {
                throw new IOException(
                        describe() + ": range " + range + " of " + key + " starts beyond its " + size + " bytes");
            }
            long skipped = whole.skip(range.offset());
            if (skipped != range.offset()) {
                throw new ObjectCorruptException(describe(), key, "ended after " + skipped + " bytes, inside " + range);
            }
            long length = Math.min(range.length(), size - range.offset());
            return ObjectStream.ranged(new EncryptionStreams.Limited(whole, length), describe(), whole.info(), length);
        } catch (IOException | RuntimeException e) {
            whole.close();
            throw e;
        }
    }

    /**
     * Whether {@code key}'s data key opens with the keys configured here, from its header alone (a ranged read of its
     * first bytes; its body is not read: {@code vigil verify archive} proves bodies). For {@code vigil keys check}.
     */
    public KeyCheck checkKey(String key) throws IOException {
        return checkKey(key, delegate.head(key).size());
    }

    /** As {@link #checkKey(String)}, for an object whose stored size is known (from a listing): one ranged read. */
    public KeyCheck checkKey(String key, long storedSize) throws IOException {
        return KeyCheck.of(delegate, keys, repositoryId, key, storedSize);
    }

    /** The id of the key new objects are encrypted under. */
    public String activeKeyId() {
        return keys.activeKeyId();
    }

    /** Where this store's keys are, for messages. */
    public String describeKeys() {
        return keys.describe();
    }

    private ObjectStream decrypting(String key, ObjectStream raw) throws IOException {
        EnvelopeContext context = new EnvelopeContext(repositoryId, key);
        EnvelopeHeader header;
        try {
            header = EnvelopeHeader.readAfterMagic(raw);
        } catch (EnvelopeHeader.DamagedHeader e) {
            drainForDamage(raw);
            throw new ObjectCorruptException(describe(), key, "its encryption header is damaged: " + e.getMessage());
        }
        byte[] dataKey;
        try {
            dataKey = keys.unwrap(header.keyId(), header.wrappedKey(), context);
        } catch (KeyUnavailableException e) {
            throw new KeyUnavailableException(
                    describe() + ": " + key + " is encrypted under key " + header.keyId() + ", and " + e.getMessage(),
                    header.keyId());
        } catch (WrongKeyException e) {
            drainForDamage(raw);
            throw new WrongKeyException(describe() + ": " + key + " (its stored bytes intact): " + e.getMessage());
        }
        ObjectInfo plain = plainInfo(raw.info());
        InputStream decrypted;
        try {
            decrypted = cipher(dataKey).newDecryptingStream(raw, context.streamAssociatedData(header.encode()));
        } catch (GeneralSecurityException e) {
            throw new IOException(describe() + ": cannot set up decryption of " + key + ": " + e, e);
        }
        return ObjectStream.verified(
                new Authenticated(decrypted, raw, key, header.keyId(), plain.checksum()), describe(), plain);
    }

    /** Reads the stored bytes to their end, so that a ciphertext damaged in the store is reported as such. */
    private static void drainForDamage(ObjectStream raw) throws IOException {
        raw.transferTo(OutputStream.nullOutputStream());
    }

    private Encrypted encrypt(PutRequest request) throws IOException {
        EnvelopeContext context = new EnvelopeContext(repositoryId, request.key());
        KeyEncryptionKeys.DataKey fresh = keys.newDataKey(context);
        byte[] dataKey = fresh.plaintext();
        if (dataKey.length != DATA_KEY_BYTES) {
            throw new IOException(
                    keys.describe() + " gave a data key of " + dataKey.length + " bytes, not " + DATA_KEY_BYTES);
        }
        EnvelopeHeader header = new EnvelopeHeader(
                EnvelopeHeader.VERSION, EnvelopeHeader.SUITE_AES256_GCM_HKDF_1MB, fresh.keyId(), fresh.wrapped());
        byte[] headerBytes = header.encode();
        ObjectBody body = request.body();
        @Nullable Path file = null;
        @Nullable ByteArrayOutputStream memory = null;
        OutputStream target;
        if (body.length() <= IN_MEMORY_LIMIT) {
            memory = new ByteArrayOutputStream((int) body.length() + headerBytes.length + 4096);
            target = memory;
        } else {
            Files.createDirectories(scratch);
            file = Files.createTempFile(
                    scratch, SCRATCH_PREFIX, ".tmp" + ProcessTag.current().suffix());
            target = Files.newOutputStream(file);
        }
        Hasher plainHash = request.checksum().algorithm().newHasher();
        Hasher cipherHash = request.checksum().algorithm().newHasher();
        long plainLength = 0;
        try {
            try (EncryptionStreams.Hashing stored = new EncryptionStreams.Hashing(target, cipherHash)) {
                stored.write(headerBytes);
                try (OutputStream encrypting =
                                cipher(dataKey).newEncryptingStream(stored, context.streamAssociatedData(headerBytes));
                        InputStream in = body.open()) {
                    byte[] buffer = new byte[64 * 1024];
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        plainHash.update(buffer, 0, n);
                        plainLength += n;
                        encrypting.write(buffer, 0, n);
                    }
                }
            }
            Checksum plainChecksum = plainHash.finish();
            if (plainLength != body.length() || !plainChecksum.equals(request.checksum())) {
                throw new ChecksumMismatchException(
                        describe(),
                        request.key(),
                        "read " + plainLength + " bytes hashing to " + plainChecksum + ", expected " + body.length()
                                + " bytes with " + request.checksum());
            }
            Map<String, String> metadata = new HashMap<>(request.metadata());
            metadata.put(KEY_ID, header.keyId());
            metadata.put(PLAIN_SIZE, Long.toString(plainLength));
            metadata.put(PLAIN_CHECKSUM, request.checksum().toString());
            ObjectBody ciphertext = memory != null
                    ? ObjectBody.ofBytes(memory.toByteArray())
                    : ObjectBody.ofFile(Objects.requireNonNull(file));
            PutRequest encrypted = request.withContent(ciphertext, cipherHash.finish(), metadata);
            return new Encrypted(encrypted, request.checksum(), plainLength, file);
        } catch (GeneralSecurityException e) {
            deleteQuietly(file);
            throw new IOException("cannot encrypt " + request.key() + ": " + e, e);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(file);
            throw e;
        }
    }

    /** What the store says about {@code info}'s object, in plaintext terms when it is encrypted. */
    private ObjectInfo plainInfo(ObjectInfo info) throws IOException {
        return EncryptedObjects.plainInfo(info, describe());
    }

    private static AesGcmHkdfStreaming cipher(byte[] dataKey) throws GeneralSecurityException {
        return new AesGcmHkdfStreaming(dataKey, "HmacSha256", DATA_KEY_BYTES, SEGMENT_BYTES, 0);
    }

    private static void deleteQuietly(@Nullable Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a scratch file left behind is removed with the scratch directory
            }
        }
    }

    /** An encrypted request and the scratch file it reads from, if any (deleted on close). */
    private record Encrypted(
            PutRequest request,
            Checksum plainChecksum,
            long plainLength,
            @Nullable Path file) implements AutoCloseable {

        ObjectInfo plain(ObjectInfo stored) {
            return new ObjectInfo(stored.key(), plainLength, plainChecksum, stored.metadata(), stored.lastModified());
        }

        @Override
        public void close() {
            deleteQuietly(file);
        }
    }

    /**
     * The decrypted stream; a failure to decrypt is classified once the stored bytes are read to their end: damaged
     * ciphertext is {@link ObjectCorruptException} (from the store's checksum), intact bytes that do not authenticate
     * are altered consistently or not this object's.
     */
    private final class Authenticated extends FilterInputStream {
        private final ObjectStream raw;
        private final String key;
        private final String keyId;
        private final Checksum plainChecksum;

        Authenticated(InputStream decrypted, ObjectStream raw, String key, String keyId, Checksum plainChecksum) {
            super(decrypted);
            this.raw = raw;
            this.key = key;
            this.keyId = keyId;
            this.plainChecksum = plainChecksum;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                return super.read(buffer, offset, length);
            } catch (IOException e) {
                ObjectCorruptException damage = damageIn(e);
                if (damage == null) {
                    try {
                        drainForDamage(raw);
                    } catch (ObjectCorruptException found) {
                        damage = found;
                    }
                }
                if (damage != null) {
                    throw new ObjectCorruptException(
                            describe(),
                            key,
                            "its stored (encrypted) bytes are damaged: " + damage.getMessage() + "; the plaintext"
                                    + " written was " + plainChecksum);
                }
                throw new ObjectCorruptException(
                        describe(),
                        key,
                        "its stored bytes match their checksum but do not authenticate under key " + keyId
                                + " (" + e.getMessage() + "): altered together with the checksum, or encrypted for"
                                + " another object key or repository");
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                raw.close();
            }
        }

        private static @Nullable ObjectCorruptException damageIn(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof ObjectCorruptException corrupt) {
                    return corrupt;
                }
            }
            return null;
        }
    }
}
