package dev.vigil.core.store;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * A store operation failed for a reason other than a missing key, a precondition or a checksum: the store
 * was unreachable, throttled us past the retry budget, refused our credentials, and so on. The message
 * says which operation on which key and what to check.
 */
public final class ObjectStoreException extends IOException {

    private static final long serialVersionUID = 1L;

    private final boolean retryable;
    private final boolean throttled;

    public ObjectStoreException(String message, boolean retryable, @Nullable Throwable cause) {
        this(message, retryable, false, cause);
    }

    public ObjectStoreException(String message, boolean retryable, boolean throttled, @Nullable Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
        this.throttled = throttled;
    }

    /** Whether the store asked us to slow down (HTTP 503 SlowDown, 429): callers should reduce their rate. */
    public boolean throttled() {
        return throttled;
    }

    /** Whether trying again later may succeed (as opposed to needing an operator: credentials, permissions). */
    public boolean retryable() {
        return retryable;
    }
}
