package dev.vigil.replay.snapshot;

/**
 * A snapshot merged from the previous one and the archive whose digest is not the judged reference's at the same LSN:
 * it was not published. {@link #key()} is the manifest key it would have had.
 */
public final class SnapshotMismatchException extends SnapshotException {

    private static final long serialVersionUID = 1L;

    public SnapshotMismatchException(String manifestKey, String message) {
        super(manifestKey, message, null);
    }
}
