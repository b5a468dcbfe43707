package dev.vigil.encryption;

import dev.vigil.core.store.UndecryptableObjectException;

/**
 * An object cannot be decrypted because the key its header names is not configured here: a check that could not be
 * made (exit 3), not damage. The message names the object, the key id and where the keys were looked for.
 */
public final class KeyUnavailableException extends UndecryptableObjectException {
    private static final long serialVersionUID = 1L;

    private final String keyId;

    public KeyUnavailableException(String message, String keyId) {
        super(message, true);
        this.keyId = keyId;
    }

    /** The id of the key that is missing. */
    public String keyId() {
        return keyId;
    }
}
