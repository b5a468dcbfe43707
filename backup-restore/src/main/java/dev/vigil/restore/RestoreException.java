package dev.vigil.restore;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/** A restore could not be done: nothing was archived, an object is missing or damaged, the target is refused. */
public final class RestoreException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * Whether the operator asked for something impossible (usage), the repository failed it, or the restore was
     * interrupted (its thread was interrupted, as the CLI does on SIGINT or SIGTERM) and cleaned up after itself.
     */
    public enum Kind {
        USAGE,
        REPOSITORY,
        INTERRUPTED
    }

    private final Kind kind;

    public RestoreException(Kind kind, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
