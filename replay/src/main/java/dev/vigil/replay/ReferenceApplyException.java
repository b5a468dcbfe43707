package dev.vigil.replay;

import java.io.IOException;

/**
 * The reference's own database refused a batch of records (a local failure: disk space, permissions, I/O errors),
 * not a problem of the archive. Nothing of the batch was applied: the reference stays at the LSN before it, its
 * digest and sketch unchanged.
 */
public final class ReferenceApplyException extends IOException {

    private static final long serialVersionUID = 1L;

    public ReferenceApplyException(String message, Throwable cause) {
        super(message, cause);
    }
}
