package dev.vigil.core.wal;

import java.io.IOException;

/**
 * A segment violates the format. Names the source (file or object key), the byte offset of the structure
 * that failed (0 for the header, the frame's start for a frame) and the reason.
 */
public final class SegmentCorruptException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final long offset;
    private final String reason;

    public SegmentCorruptException(String source, long offset, String reason) {
        super(source + ": corrupt at offset " + offset + ": " + reason);
        this.source = source;
        this.offset = offset;
        this.reason = reason;
    }

    public String source() {
        return source;
    }

    public long offset() {
        return offset;
    }

    public String reason() {
        return reason;
    }
}
