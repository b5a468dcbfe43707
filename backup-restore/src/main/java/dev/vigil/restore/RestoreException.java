package dev.vigil.restore;

import java.io.IOException;

/** A restore could not be done: nothing was archived, an object is missing or damaged, the target is refused. */
public final class RestoreException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Whether the operator asked for something impossible (usage) rather than the repository failing it. */
    public enum Kind { USAGE, REPOSITORY }

    private final Kind kind;

    public RestoreException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
