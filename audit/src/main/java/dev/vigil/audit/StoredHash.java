package dev.vigil.audit;

import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The SHA-256 of an object's bytes as the store holds them now (its own checksum checked on the way), their size and
 * when they were stored: what the audit compares with an entry, and what recovery logs for a put a dead process left.
 *
 * @param sha256   the digest
 * @param size     the stored bytes' length
 * @param storedAt the object's last-modified time
 */
record StoredHash(byte[] sha256, long size, Instant storedAt) {

    /** Reads {@code key} whole from {@code store} and hashes it. */
    static StoredHash of(ObjectStore store, String key) throws IOException {
        MessageDigest digest = LoggingObjectStore.sha256();
        long size = 0;
        Instant storedAt;
        try (ObjectStream in = store.get(key)) {
            storedAt = in.info().lastModified();
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                digest.update(buffer, 0, n);
                size += n;
            }
        }
        return new StoredHash(digest.digest(), size, storedAt);
    }

    /** The digest in lower-case hex, as entries carry it. */
    String hex() {
        return HexFormat.of().formatHex(sha256);
    }
}
