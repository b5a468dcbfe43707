package dev.vigil.core.store;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Puts an S3 Object Lock on every object whose key {@code lockable} accepts and whose put does not carry a lock
 * already: retained until the put's time plus {@code retention}. Everything else passes through unchanged. Vigil
 * locks what a restore or an audit depends on (archived segments, snapshots, reports); state it rewrites
 * (verification progress, claims) stays unlocked. Thread safe if the delegate is.
 */
final class LockingObjectStore implements ObjectStore {

    private final ObjectStore delegate;
    private final RetentionLock.Mode mode;
    private final Duration retention;
    private final Predicate<String> lockable;
    private final Clock clock;

    LockingObjectStore(ObjectStore delegate, RetentionLock.Mode mode, Duration retention, Predicate<String> lockable,
                       Clock clock) {
        this.delegate = delegate;
        this.mode = mode;
        this.retention = retention;
        this.lockable = lockable;
        this.clock = clock;
    }

    @Override
    public ObjectInfo put(PutRequest request) throws IOException {
        if (request.lock().isEmpty() && lockable.test(request.key())) {
            return delegate.put(request.locked(new RetentionLock(mode, clock.instant().plus(retention))));
        }
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
    public Iterator<ObjectSummary> listAll(String prefix) {
        return delegate.listAll(prefix);
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
