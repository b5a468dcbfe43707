package dev.vigil.core.wal;

/** When a {@link SegmentWriter} forces appended records to stable storage. */
public enum FsyncPolicy {
    /** After every append: each acknowledged record is durable. Slowest. */
    EVERY_RECORD,
    /**
     * Only on {@link SegmentWriter#sync()} and at seal: the node batches records and calls {@code sync()}
     * before acknowledging them (group commit). Records appended since the last sync may be lost in a crash
     * and are then trimmed as a torn tail.
     */
    ON_SYNC
}
