package dev.vigil.core.store;

import java.io.IOException;

/**
 * An object that cannot be decrypted with the keys configured here: its key is missing, or the key under its id does
 * not open it. Not damage (its stored bytes match their checksum, or were not read): a check that could not be made,
 * which more keys, not a repair, resolves. Raised by an encrypting store; the message names the object and the key id.
 */
public class UndecryptableObjectException extends IOException {
    private static final long serialVersionUID = 1L;

    public UndecryptableObjectException(String message) {
        super(message);
    }
}
