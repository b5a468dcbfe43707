package dev.vigil.core.store;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * A store that forwards every call to another: the base of stores that change one aspect of a real one (Object
 * Lock on puts; in tests, a store that misbehaves). {@code listAll} pages through this store's {@link #list}, so an
 * override of {@code list} applies to it too; {@code putConfirmed} is not forwarded (it is this store's {@link #put}
 * and {@link #head}), so an override of {@code put} applies to it too. Closing it closes the delegate. Thread safe if the delegate is.
 */
public class ForwardingObjectStore implements ObjectStore {

    private final ObjectStore delegate;

    public ForwardingObjectStore(ObjectStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public ObjectInfo put(PutRequest request) throws IOException {
        return delegate.put(request);
    }

    @Override
    public ObjectStream get(String key) throws IOException {
        return delegate.get(key);
    }

    @Override
    public ObjectStream get(String key, ByteRange range) throws IOException {
        return delegate.get(key, range);
    }

    @Override
    public ObjectInfo head(String key) throws IOException {
        return delegate.head(key);
    }

    @Override
    public ObjectInfo rehashStored(String key) throws IOException {
        return delegate.rehashStored(key);
    }

    @Override
    public ObjectInfo headStored(String key) throws IOException {
        return delegate.headStored(key);
    }

    @Override
    public ObjectListing list(String prefix, Optional<String> startAfter, int maxKeys) throws IOException {
        return delegate.list(prefix, startAfter, maxKeys);
    }

    @Override
    public void delete(String key) throws IOException {
        delegate.delete(key);
    }

    @Override
    public int abortIncompleteUploads(String prefix, Instant olderThan) throws IOException {
        return delegate.abortIncompleteUploads(prefix, olderThan);
    }

    @Override
    public StoreGuarantees guarantees() throws IOException {
        return delegate.guarantees();
    }

    @Override
    public ObjectLockStatus objectLock() throws IOException {
        return delegate.objectLock();
    }

    @Override
    public Optional<Instant> retainedUntil(String key) throws IOException {
        return delegate.retainedUntil(key);
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
