package dev.vigil.core.store;

import java.io.IOException;

/** No object exists under the key. */
public final class ObjectNotFoundException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String key;

    public ObjectNotFoundException(String store, String key) {
        super(store + ": no object under key " + key);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
