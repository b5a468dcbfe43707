package dev.vigil.core.store;

import java.io.IOException;

/** An "only if absent" put found an object already under the key. */
public final class PreconditionFailedException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String key;

    public PreconditionFailedException(String store, String key) {
        super(store + ": an object already exists under key " + key);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
