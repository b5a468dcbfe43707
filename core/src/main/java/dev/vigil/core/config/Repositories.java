package dev.vigil.core.config;

import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import java.io.IOException;
import java.time.Clock;

/** Opens the object store a configuration names. */
public final class Repositories {

    private Repositories() {
    }

    public static ObjectStore open(RepositoryLocation location, Clock clock) throws IOException {
        return switch (location) {
            case RepositoryLocation.Local local -> ObjectStores.localDirectory(local.root(), clock);
            case RepositoryLocation.S3 s3 -> ObjectStores.s3(s3.settings());
        };
    }
}
