package dev.vigil.core.store;

import java.io.IOException;

/**
 * A put was rejected because the body did not match the caller's checksum: the bytes changed between
 * hashing and upload, or in transit. Nothing was stored.
 */
public final class ChecksumMismatchException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String key;

    public ChecksumMismatchException(String store, String key, String detail) {
        super(store + ": rejected put of " + key + ": the body does not match its checksum (" + detail
                + "); nothing was stored");
        this.key = key;
    }

    public String key() {
        return key;
    }
}
