package dev.vigil.testkit.store;

import dev.vigil.core.store.ByteRange;
import dev.vigil.core.store.ObjectInfo;
import dev.vigil.core.store.ObjectListing;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.PutRequest;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * A real store behind a seam: forwards every call; tests override one method to make the store misbehave
 * (lie about an object, fail after some reads). Closing it does not close the delegate, which its owner closes.
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
    public dev.vigil.core.store.ObjectLockStatus objectLock() throws IOException {
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
    public void close() {
        // The delegate belongs to the caller.
    }
}
