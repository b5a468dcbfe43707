package dev.vigil.scrubber;

import dev.vigil.core.store.ByteRange;
import dev.vigil.core.store.ObjectInfo;
import dev.vigil.core.store.ObjectListing;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStoreException;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.PutRequest;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** A real store whose segment reads start failing after a number of them: a connection that drops mid-run. */
final class FailingAfterStore implements ObjectStore {

    private final ObjectStore delegate;
    private final AtomicInteger readsLeft;

    FailingAfterStore(ObjectStore delegate, int reads) {
        this.delegate = delegate;
        this.readsLeft = new AtomicInteger(reads);
    }

    @Override
    public ObjectStream get(String key) throws IOException {
        if (key.endsWith(".seg") && readsLeft.getAndDecrement() <= 0) {
            throw new ObjectStoreException("connection reset reading " + key, true, null);
        }
        return delegate.get(key);
    }

    @Override
    public ObjectInfo put(PutRequest request) throws IOException {
        return delegate.put(request);
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
    public String describe() {
        return delegate.describe();
    }

    @Override
    public void close() {
        // owned by the test
    }
}
