package dev.vigil.core.config;

import dev.vigil.core.store.S3Settings;
import java.nio.file.Path;

/** Where the repository is: {@code file:///path} or {@code s3://bucket/prefix}. */
public sealed interface RepositoryLocation {

    /** The URL as written in the configuration, for messages. */
    String url();

    record Local(Path root) implements RepositoryLocation {
        @Override
        public String url() {
            return root.toUri().toString();
        }
    }

    record S3(S3Settings settings) implements RepositoryLocation {
        @Override
        public String url() {
            return settings.describe();
        }
    }
}
