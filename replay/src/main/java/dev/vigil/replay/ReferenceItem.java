package dev.vigil.replay;

/**
 * One live item of a reference state: a key, its current value and the LSN of the record that last wrote it.
 * Arrays are shared, not copied: treat them as read only.
 */
public record ReferenceItem(byte[] key, byte[] value, long lsn) {

    public ReferenceItem {
        if (key == null || value == null) {
            throw new IllegalArgumentException("a reference item needs a key and a value");
        }
        if (lsn < 1) {
            throw new IllegalArgumentException("a reference item's LSN must be positive, was " + lsn);
        }
    }
}
