package dev.vigil.core.store;

import java.time.Instant;

/**
 * A listed object: key, size, modification time, and the store's identity of this version of it. Listings return no
 * metadata and no checksum, but every store can say cheaply whether an object is still the one it was: S3 returns the
 * ETag in the listing, a local directory the checksum in the object's header.
 *
 * @param version the store's identity of this version of the object (S3: its ETag; a local directory: the checksum
 *                its header records): different when the object was replaced, even by one of the same size. Opaque:
 *                compare it only with versions from the same store
 */
public record ObjectSummary(String key, long size, Instant lastModified, String version) {

    public ObjectSummary {
        if (key == null || lastModified == null || version == null) {
            throw new IllegalArgumentException("a listed object needs a key, a modification time and a version");
        }
    }

    /**
     * Whether this is the same version of the object as one seen before: same size, version and modification time (a
     * replacement with identical bytes gets a new modification time, and is read again once).
     */
    public boolean sameVersionAs(long otherSize, String otherVersion, Instant otherModified) {
        return size == otherSize && version.equals(otherVersion) && lastModified.equals(otherModified);
    }
}
