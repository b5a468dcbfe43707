package dev.vigil.core.store;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * A flat namespace of immutable-by-convention objects: the repository where Vigil keeps archived WAL,
 * snapshots, scrub reports, verdicts and reports. Two implementations share these semantics: a local
 * directory and S3 (or any S3-compatible store); see {@link ObjectStores}.
 *
 * <p><b>Keys</b> are validated by {@link ObjectKeys}: relative, {@code /}-separated, no empty, {@code .}
 * or {@code ..} segment, no segment starting with a dot. A store opened with a prefix applies it
 * transparently; keys in results are relative to it.
 *
 * <p><b>Integrity.</b> Vigil never trusts a store's word: {@link #put} takes a checksum the caller
 * computed, which the store validates on ingest (S3 through {@code x-amz-checksum-*} or
 * {@code Content-MD5}, the local store by re-hashing) and keeps in the object's metadata; a full
 * {@link #get} re-hashes what it streams and raises {@link ObjectCorruptException} at the end of the
 * stream when the bytes do not match that checksum.
 *
 * <p><b>Errors.</b> A missing key raises {@link ObjectNotFoundException}; a failed "only if absent"
 * precondition raises {@link PreconditionFailedException}; a body that does not match the caller's
 * checksum raises {@link ChecksumMismatchException}. None of these is retried by the store. Transient
 * failures (throttling, 5xx, connection resets) are retried inside the store with backoff before an
 * {@link ObjectStoreException} with {@code retryable() == true} is raised; authentication and
 * permission failures raise it at once with {@code retryable() == false}. Nothing is ever reported by
 * returning {@code null}.
 *
 * <p><b>Atomicity.</b> A {@code put} is all or nothing: readers see the old object, or no object, or the
 * complete new one with its metadata, never a partial object. {@code delete} is idempotent.
 *
 * <p>Implementations are thread safe.
 */
public interface ObjectStore extends Closeable {

    /**
     * Stores an object. With {@link PutRequest#ifAbsent()}, the put succeeds only when no object exists
     * under the key, atomically with respect to concurrent writers (exactly one of several concurrent
     * puts of the same key wins).
     *
     * @return what was stored
     * @throws PreconditionFailedException when {@code ifAbsent} and the key exists
     * @throws ChecksumMismatchException   when the body does not match the request's checksum
     */
    ObjectInfo put(PutRequest request) throws IOException;

    /**
     * Stores an object like {@link #put} and returns it as the store confirms it holds it: its size and checksum as
     * the store reports them, for the caller to compare with what it sent before counting the object as stored. By
     * default a {@link #head} after the put; a store whose put itself proves what it stored (it hashed the bytes as it
     * wrote them, or the service validated the request's checksum over the bytes it received and echoed it back)
     * returns that proof without the extra request.
     *
     * @throws PreconditionFailedException when {@code ifAbsent} and the key exists
     * @throws ChecksumMismatchException   when the body does not match the request's checksum
     */
    default ObjectInfo putConfirmed(PutRequest request) throws IOException {
        put(request);
        return head(request.key());
    }

    /**
     * Streams a whole object. The stream re-hashes the bytes and, when it reaches the end, raises
     * {@link ObjectCorruptException} if they differ from the checksum in the object's metadata (or the
     * metadata has none). The caller must close the stream.
     *
     * @throws ObjectNotFoundException when the key does not exist
     */
    ObjectStream get(String key) throws IOException;

    /**
     * Re-reads the object's stored bytes to their end and checks them against its stored checksum, without
     * interpreting them; returns what the store says of it. What proves an encrypted object intact where it cannot be
     * decrypted (a process without keys, a key missing): a store that decrypts forwards this to the store beneath it.
     *
     * @throws ObjectCorruptException  when the stored bytes do not match their checksum
     * @throws ObjectNotFoundException when the key does not exist
     */
    default ObjectInfo rehashStored(String key) throws IOException {
        try (ObjectStream in = get(key)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return in.info();
        }
    }

    /**
     * Describes an object as it is stored, not as a decrypting store presents it: an encrypted object's stored size and
     * ciphertext checksum, and the {@link EncryptedObjects#KEY_ID_METADATA} its writer recorded. What proves how the
     * repository holds its objects (the compliance report's "encrypted at rest"); by default {@link #head}, a store that
     * decrypts forwards this to the store beneath it.
     *
     * @throws ObjectNotFoundException when the key does not exist
     */
    default ObjectInfo headStored(String key) throws IOException {
        return head(key);
    }

    /**
     * Streams part of an object. A part cannot be checked against the whole-object checksum; callers that
     * need integrity validate the bytes they read (a WAL segment's records carry their own CRCs).
     *
     * @throws ObjectNotFoundException when the key does not exist
     */
    ObjectStream get(String key, ByteRange range) throws IOException;

    /**
     * Describes an object without reading it.
     *
     * @throws ObjectNotFoundException when the key does not exist
     */
    ObjectInfo head(String key) throws IOException;

    /**
     * One page of keys starting with {@code prefix}, in lexicographic (UTF-8 byte) order, strictly after
     * {@code startAfter} when given; at most {@code maxKeys} (1 to 1000) entries.
     */
    ObjectListing list(String prefix, Optional<String> startAfter, int maxKeys) throws IOException;

    /** Deletes an object; deleting a missing key succeeds. */
    void delete(String key) throws IOException;

    /**
     * Removes what interrupted puts under {@code prefix} left behind and that started before
     * {@code olderThan}: S3 multipart uploads that were never completed (invisible to readers, but billed),
     * or a local store's temporary files. Safe to run while other puts are in flight, as long as
     * {@code olderThan} is older than any put still running.
     *
     * @return how many were removed
     */
    int abortIncompleteUploads(String prefix, Instant olderThan) throws IOException;

    /**
     * Whether the repository's objects are protected by a write-once lock (S3 Object Lock). Asks the store (one
     * request on S3); an answer it cannot get is reported in the status, not thrown, except for an unreachable
     * store.
     */
    default ObjectLockStatus objectLock() throws IOException {
        return ObjectLockStatus.unavailable("this store has no object lock");
    }

    /**
     * Until when the current version of {@code key} is locked against deletion (S3 Object Lock retain-until date);
     * empty when it is not locked, or the store has no locks.
     *
     * @throws ObjectNotFoundException when the key does not exist
     */
    default Optional<Instant> retainedUntil(String key) throws IOException {
        head(key);
        return Optional.empty();
    }

    /** Where this store is, for messages: {@code file:///var/lib/vigil/repo/} or {@code s3://bucket/prefix}. */
    String describe();

    /**
     * What this store guarantees for Vigil's writes and what Vigil does about each ({@code check-config --connect}
     * prints it; the daemon and the worker refuse to start on a {@link StoreGuarantees#refusal}). An S3 store probes
     * its server the first time (with small objects under {@code probes/}); this default is for stores whose
     * guarantees hold by construction.
     *
     * @throws IOException when the store cannot be reached to find out
     */
    default StoreGuarantees guarantees() throws IOException {
        return StoreGuarantees.inherent(
                describe(),
                List.of(new StoreGuarantees.Row(
                        "every guarantee Vigil relies on", "by construction", "writes as designed")));
    }

    /** Where an object is, for messages: {@code s3://bucket/prefix/<key>}, {@code file:///var/lib/vigil/repo/<key>}. */
    default String locate(String key) {
        String where = describe();
        return where.endsWith("/") ? where + key : where + "/" + key;
    }

    /** What {@link #forEach} calls for each object; it may fail like any repository read. */
    @FunctionalInterface
    interface ObjectVisitor {
        void visit(ObjectSummary object) throws IOException;
    }

    /**
     * Calls {@code visitor} for every object under {@code prefix}, page by page, in lexicographic order: the listing
     * for callers that read the repository with checked exceptions (a failing page or visit ends it with the
     * {@link IOException}). Memory stays bounded by one page whatever the number of keys.
     */
    default void forEach(String prefix, ObjectVisitor visitor) throws IOException {
        Optional<String> next = Optional.empty();
        do {
            ObjectListing listing = list(prefix, next, ObjectListing.MAX_KEYS);
            for (ObjectSummary object : listing.objects()) {
                visitor.visit(object);
            }
            next = listing.nextStartAfter();
        } while (next.isPresent());
    }

    /** All keys under {@code prefix}, lazily, page by page, in lexicographic order. */
    default Iterator<ObjectSummary> listAll(String prefix) {
        return new Iterator<>() {
            private Iterator<ObjectSummary> page = Collections.emptyIterator();
            private Optional<String> next = Optional.empty();
            private boolean done;

            @Override
            public boolean hasNext() {
                while (!page.hasNext() && !done) {
                    ObjectListing listing;
                    try {
                        listing = list(prefix, next, ObjectListing.MAX_KEYS);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    page = listing.objects().iterator();
                    next = listing.nextStartAfter();
                    done = next.isEmpty();
                }
                return page.hasNext();
            }

            @Override
            public ObjectSummary next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("no more keys under " + prefix);
                }
                return page.next();
            }
        };
    }
}
