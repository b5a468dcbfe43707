package dev.vigil.reference.snapshot;

import java.io.IOException;

/** A snapshot that cannot be used: its manifest or a file is missing, unreadable, or does not match. */
public final class SnapshotException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String key;

    public SnapshotException(String key, String message, Throwable cause) {
        super(message, cause);
        this.key = key;
    }

    /** The object that is missing or bad. */
    public String key() {
        return key;
    }
}
