package dev.vigil.cli.config;

import dev.vigil.core.config.RepositoryLocation;
import dev.vigil.core.config.RetentionConfig;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.store.s3.S3Stores;
import java.io.IOException;
import java.time.Clock;

/** Opens the object store a configuration names. */
public final class Repositories {

    private Repositories() {}

    /**
     * Opens the repository of {@code config}. With {@code retention.object-lock}, archived segments, snapshot files
     * and reports are written with an S3 Object Lock until {@code retention.window} plus {@code retention.lock-margin}
     * after they are stored.
     */
    public static ObjectStore open(VigilConfig config, Clock clock) throws IOException {
        ObjectStore store = open(config.repository(), clock);
        RetentionConfig retention = config.retention();
        if (!retention.objectLock()) {
            return store;
        }
        return ObjectStores.locking(
                store,
                retention.lockMode(),
                retention.window().plus(retention.lockMargin()),
                RepositoryLayout::lockable,
                clock);
    }

    public static ObjectStore open(RepositoryLocation location, Clock clock) throws IOException {
        return switch (location) {
            case RepositoryLocation.Local local -> ObjectStores.localDirectory(local.root(), clock);
            case RepositoryLocation.S3 s3 -> S3Stores.open(s3.settings());
        };
    }
}
