package dev.vigil.core.config;

import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import java.io.IOException;
import java.time.Clock;

/** Opens the object store a configuration names. */
public final class Repositories {

    private Repositories() {
    }

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
        return ObjectStores.locking(store, retention.lockMode(), retention.window().plus(retention.lockMargin()),
                Repositories::lockable, clock);
    }

    /** What a restore or an audit depends on: archived segments, snapshots (files and manifest), reports. */
    public static boolean lockable(String key) {
        return RepositoryLayout.parseWalKey(key).isPresent()
                || key.startsWith(RepositoryLayout.PARTITIONS) && key.contains("/snapshots/")
                || key.startsWith(RepositoryLayout.REPORTS) && !key.endsWith(".claim");
    }

    public static ObjectStore open(RepositoryLocation location, Clock clock) throws IOException {
        return switch (location) {
            case RepositoryLocation.Local local -> ObjectStores.localDirectory(local.root(), clock);
            case RepositoryLocation.S3 s3 -> ObjectStores.s3(s3.settings());
        };
    }
}
