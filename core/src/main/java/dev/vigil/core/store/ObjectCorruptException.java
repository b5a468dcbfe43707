package dev.vigil.core.store;

import java.io.IOException;

/**
 * The bytes read from a store do not match the checksum stored with the object: the stored copy is
 * damaged (bit rot, tampering) or was replaced behind Vigil's back.
 */
public final class ObjectCorruptException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String key;

    public ObjectCorruptException(String store, String key, String detail) {
        super(store + ": object " + key + " is corrupt: " + detail);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
