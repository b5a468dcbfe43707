package dev.vigil.core.store;

import java.io.IOException;

/**
 * A store operation failed for a reason other than a missing key, a precondition or a checksum: the store
 * was unreachable, throttled us past the retry budget, refused our credentials, and so on. The message
 * says which operation on which key and what to check.
 */
public final class ObjectStoreException extends IOException {

    private static final long serialVersionUID = 1L;

    private final boolean retryable;

    public ObjectStoreException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    /** Whether trying again later may succeed (as opposed to needing an operator: credentials, permissions). */
    public boolean retryable() {
        return retryable;
    }
}
