package dev.vigil.encryption;

import dev.vigil.core.store.UndecryptableObjectException;

/**
 * The key an object's header names is configured, but does not open the object's data key: the keyring holds another
 * key under that id, or the object (its stored bytes intact, as their checksum proves) was encrypted for another object
 * key or repository. Not damage (exit 3): the check could not be made with the keys given. The message names the
 * object and the key id.
 */
public final class WrongKeyException extends UndecryptableObjectException {
    private static final long serialVersionUID = 1L;

    public WrongKeyException(String message) {
        super(message, true);
    }
}
