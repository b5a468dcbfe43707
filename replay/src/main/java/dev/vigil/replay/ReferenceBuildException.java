package dev.vigil.replay;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * The archive cannot take the reference further: a gap (no archived segment holds the next LSN) or a
 * damaged object. The message names the LSN reached, and the missing range or the bad object. The
 * reference never skips history: it stops here.
 */
public final class ReferenceBuildException extends IOException {

    private static final long serialVersionUID = 1L;

    private final long reached;

    public ReferenceBuildException(String message, long reached, @Nullable Throwable cause) {
        super(message, cause);
        this.reached = reached;
    }

    /** The LSN the reference reached before it had to stop. */
    public long reached() {
        return reached;
    }
}
