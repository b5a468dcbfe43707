package dev.vigil.core.store;

import dev.vigil.core.checksum.Checksum;
import java.util.Map;
import java.util.Optional;

/**
 * A request to store {@code body} under {@code key}. {@code checksum} is computed by the caller from the
 * bytes it means to store; the store validates the body against it. {@code metadata} is user metadata
 * (see {@link ObjectKeys#validateMetadata}). {@code lock}, when present, asks the store to keep the stored version
 * write-once until its date (S3 Object Lock); a store that cannot do that refuses the put.
 *
 * <p>Two conditions, never both: {@code ifAbsent} (the put succeeds only when no object exists under the key) and
 * {@code ifMatch} (it succeeds only when the object under the key is still the version given: an
 * {@link ObjectSummary#version} from a listing). Either fails with {@link PreconditionFailedException}, atomically with
 * respect to concurrent puts and deletes of the key: a replacement never resurrects an object deleted meanwhile, and
 * never undoes another writer's newer version.
 */
public record PutRequest(
        String key,
        ObjectBody body,
        Checksum checksum,
        Map<String, String> metadata,
        boolean ifAbsent,
        Optional<RetentionLock> lock,
        Optional<String> ifMatch) {

    public PutRequest {
        ObjectKeys.validate(key);
        if (body == null || checksum == null) {
            throw new IllegalArgumentException("put of " + key + ": body and checksum are required");
        }
        metadata = Map.copyOf(metadata);
        ObjectKeys.validateMetadata(metadata);
        lock = lock == null ? Optional.empty() : lock;
        ifMatch = ifMatch == null ? Optional.empty() : ifMatch;
        if (ifAbsent && ifMatch.isPresent()) {
            throw new IllegalArgumentException("put of " + key + ": if-absent and if-match exclude each other");
        }
    }

    public PutRequest(String key, ObjectBody body, Checksum checksum, Map<String, String> metadata, boolean ifAbsent) {
        this(key, body, checksum, metadata, ifAbsent, Optional.empty(), Optional.empty());
    }

    /** The same request, with the stored version locked as {@code retention} says. */
    public PutRequest locked(RetentionLock retention) {
        return new PutRequest(key, body, checksum, metadata, ifAbsent, Optional.of(retention), ifMatch);
    }

    /**
     * The same request (key, condition, lock) for other content: what a store that transforms bodies (encryption)
     * passes to the store beneath it.
     */
    public PutRequest withContent(ObjectBody otherBody, Checksum otherChecksum, Map<String, String> otherMetadata) {
        return new PutRequest(key, otherBody, otherChecksum, otherMetadata, ifAbsent, lock, ifMatch);
    }

    /**
     * A put that replaces the object under {@code key} only while it is still {@code version} (from a listing): fails
     * with {@link PreconditionFailedException} when it was replaced or deleted since.
     */
    public static PutRequest replacing(
            String key, ObjectBody body, Checksum checksum, Map<String, String> metadata, String version) {
        return new PutRequest(key, body, checksum, metadata, false, Optional.empty(), Optional.of(version));
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
