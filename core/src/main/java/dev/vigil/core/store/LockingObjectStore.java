package dev.vigil.core.store;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * Puts an S3 Object Lock on every object whose key {@code lockable} accepts and whose put does not carry a lock
 * already: retained until the put's time plus {@code retention}. Everything else passes through unchanged. Vigil
 * locks what a restore or an audit depends on (archived segments, snapshots, reports); state it rewrites
 * (verification progress, claims) stays unlocked. Thread safe if the delegate is.
 */
final class LockingObjectStore extends ForwardingObjectStore {

    private final RetentionLock.Mode mode;
    private final Duration retention;
    private final Predicate<String> lockable;
    private final Clock clock;

    LockingObjectStore(
            ObjectStore delegate,
            RetentionLock.Mode mode,
            Duration retention,
            Predicate<String> lockable,
            Clock clock) {
        super(delegate);
        this.mode = mode;
        this.retention = retention;
        this.lockable = lockable;
        this.clock = clock;
    }

    @Override
    public ObjectInfo put(PutRequest request) throws IOException {
        return super.put(withLock(request));
    }

    @Override
    public ObjectInfo putConfirmed(PutRequest request) throws IOException {
        return super.putConfirmed(withLock(request));
    }

    private PutRequest withLock(PutRequest request) {
        return request.lock().isEmpty() && lockable.test(request.key())
                ? request.locked(new RetentionLock(mode, clock.instant().plus(retention)))
                : request;
    }
}
