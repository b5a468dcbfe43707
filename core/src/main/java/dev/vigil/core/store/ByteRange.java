package dev.vigil.core.store;

/** {@code length} bytes starting at {@code offset}; a range past the end of an object is cut at the end. */
public record ByteRange(long offset, long length) {

    public ByteRange {
        if (offset < 0 || length < 1) {
            throw new IllegalArgumentException("invalid byte range: offset " + offset + ", length " + length);
        }
    }

    /** The last byte's offset, inclusive (as in an HTTP {@code Range} header). */
    public long lastInclusive() {
        return offset + length - 1;
    }
}
