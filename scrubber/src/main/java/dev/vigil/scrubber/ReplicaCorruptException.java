package dev.vigil.scrubber;

import java.io.IOException;

/** The replica's storage failed its own integrity checks while being read: bit rot, or a damaged file. */
public final class ReplicaCorruptException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final String lastGoodKey;

    public ReplicaCorruptException(String message, String file, String lastGoodKey, Throwable cause) {
        super(message, cause);
        this.file = file;
        this.lastGoodKey = lastGoodKey;
    }

    /** The storage file named by the error, or "unknown". */
    public String file() {
        return file;
    }

    /** The last key read intact before the failure ("(none)" when it failed before the first key). */
    public String lastGoodKey() {
        return lastGoodKey;
    }
}
