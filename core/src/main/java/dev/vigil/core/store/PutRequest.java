package dev.vigil.core.store;

import dev.vigil.core.checksum.Checksum;
import java.util.Map;
import java.util.Optional;

/**
 * A request to store {@code body} under {@code key}. {@code checksum} is computed by the caller from the
 * bytes it means to store; the store validates the body against it. {@code metadata} is user metadata
 * (see {@link ObjectKeys#validateMetadata}). {@code lock}, when present, asks the store to keep the stored version
 * write-once until its date (S3 Object Lock); a store that cannot do that refuses the put.
 */
public record PutRequest(
        String key,
        ObjectBody body,
        Checksum checksum,
        Map<String, String> metadata,
        boolean ifAbsent,
        Optional<RetentionLock> lock) {

    public PutRequest {
        ObjectKeys.validate(key);
        if (body == null || checksum == null) {
            throw new IllegalArgumentException("put of " + key + ": body and checksum are required");
        }
        metadata = Map.copyOf(metadata);
        ObjectKeys.validateMetadata(metadata);
        lock = lock == null ? Optional.empty() : lock;
    }

    public PutRequest(String key, ObjectBody body, Checksum checksum, Map<String, String> metadata, boolean ifAbsent) {
        this(key, body, checksum, metadata, ifAbsent, Optional.empty());
    }

    /** The same request, with the stored version locked as {@code retention} says. */
    public PutRequest locked(RetentionLock retention) {
        return new PutRequest(key, body, checksum, metadata, ifAbsent, Optional.of(retention));
    }

    /** A put that succeeds only when the key does not exist yet. */
    public static PutRequest ifAbsent(String key, ObjectBody body, Checksum checksum, Map<String, String> metadata) {
        return new PutRequest(key, body, checksum, metadata, true);
    }

    /** A put that replaces any existing object. */
    public static PutRequest overwrite(String key, ObjectBody body, Checksum checksum, Map<String, String> metadata) {
        return new PutRequest(key, body, checksum, metadata, false);
    }
}
