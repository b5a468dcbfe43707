package dev.vigil.core.store;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Predicate;

/** Opens object stores: a local directory, or another store with Object Lock on its puts (S3: see {@code S3Stores}). */
public final class ObjectStores {

    private ObjectStores() {}

    /** A store in a local directory, created if missing. */
    public static ObjectStore localDirectory(Path root, Clock clock) throws IOException {
        return new LocalDirectoryObjectStore(root, clock);
    }

    /**
     * {@code store}, putting an Object Lock of {@code mode} on each new object whose key {@code lockable} accepts,
     * retained for {@code retention} from its put.
     */
    public static ObjectStore locking(
            ObjectStore store, RetentionLock.Mode mode, Duration retention, Predicate<String> lockable, Clock clock) {
        return new LockingObjectStore(store, mode, retention, lockable, clock);
    }
}
