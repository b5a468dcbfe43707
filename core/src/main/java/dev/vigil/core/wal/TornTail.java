package dev.vigil.core.wal;

/**
 * The unusable end of an open segment: bytes from {@code offset} to the end of the file that do not form
 * complete, valid records (the writer crashed mid-write). Recovery truncates the file at {@code offset}.
 */
public record TornTail(long offset, long length, String reason) {

    @Override
    public String toString() {
        return length + " bytes at offset " + offset + " (" + reason + ")";
    }
}
