package dev.vigil.core.wal;

/**
 * A violation of the format found by {@link SegmentDecoder}, before it is judged as corruption or as a
 * torn tail (which depends on whether the segment is sealed).
 */
final class FormatViolation extends Exception {

    private static final long serialVersionUID = 1L;

    enum Kind {
        /** The input ends inside a structure: a torn write in an open segment. */
        INCOMPLETE,
        /** A structure fails its checksum or bounds: torn write in an open segment, corruption in a sealed one. */
        INVALID,
        /** Valid checksums but inconsistent content (LSN gap, seal disagreeing): corruption in any segment. */
        INCONSISTENT
    }

    private final Kind kind;
    private final long offset;
    private final String reason;

    FormatViolation(Kind kind, long offset, String reason) {
        super(reason, null, false, false);
        this.kind = kind;
        this.offset = offset;
        this.reason = reason;
    }

    Kind kind() {
        return kind;
    }

    long offset() {
        return offset;
    }

    String reason() {
        return reason;
    }

    SegmentCorruptException toCorruption(String source) {
        return new SegmentCorruptException(source, offset, reason);
    }
}
