package dev.vigil.core.store;

import java.io.IOException;

/**
 * An object that cannot be decrypted with the keys configured here: its key is missing, or the key under its id does
 * not open it. Not damage (its stored bytes match their checksum, or were not read): a check that could not be made,
 * which more keys, not a repair, resolves. Raised by an encrypting store; the message names the object and the key id.
 */
public class UndecryptableObjectException extends IOException {
    private static final long serialVersionUID = 1L;

    private final boolean keysConfigured;

    /** {@code keysConfigured}: whether this process was given keys (and they do not open it), or has none at all. */
    public UndecryptableObjectException(String message, boolean keysConfigured) {
        super(message);
        this.keysConfigured = keysConfigured;
    }

    /**
     * Whether this process has keys that should have opened the object (a key missing from them, or the wrong one): a
     * check that could not be made. False for a process without keys, for which not reading content is by design.
     */
    public boolean keysConfigured() {
        return keysConfigured;
    }
}
