package dev.vigil.scrubber;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * The replica's storage failed its own integrity checks while being read: bit rot, or a damaged file. Names the
 * node's own file (never a checkpoint's hard link), the kind of block that failed where the storage says it, and the
 * last key read intact.
 */
public final class ReplicaCorruptException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final String blockKind;
    private final String lastGoodKey;

    public ReplicaCorruptException(
            String message, String file, String blockKind, String lastGoodKey, @Nullable Throwable cause) {
        super(message, cause);
        this.file = file;
        this.blockKind = blockKind;
        this.lastGoodKey = lastGoodKey;
    }

    /** The node's file named by the error (an absolute path), or the replica directory when no file is named. */
    public String file() {
        return file;
    }

    /** The kind of block that failed ({@code Data}, {@code Index}, {@code Filter}, {@code footer}, ...) or "unknown". */
    public String blockKind() {
        return blockKind;
    }

    /** The last key read intact before the failure ("(none)" when it failed before the first key). */
    public String lastGoodKey() {
        return lastGoodKey;
    }
}
