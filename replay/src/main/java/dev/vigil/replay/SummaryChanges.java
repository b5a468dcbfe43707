package dev.vigil.replay;

/**
 * The digest and sketch changes one batch of records made, in order, so that a batch the database refuses can be
 * taken back exactly (adding and removing an item hash undo each other). At most two changes per record: the old item
 * out, the new one in. Not thread safe.
 */
final class SummaryChanges {

    /** Told each change to take back, the latest first. */
    @FunctionalInterface
    interface Undo {
        /**
         * Takes back one change.
         *
         * @param record the record's index in its batch
         * @param added  whether the change added the item (so remove it) or removed it (so add it back)
         */
        void change(int record, boolean added, long[] itemHash);
    }

    private final int[] records;
    private final boolean[] added;
    private final long[] hashes;
    private int count;

    SummaryChanges(int batchSize) {
        records = new int[2 * batchSize];
        added = new boolean[2 * batchSize];
        hashes = new long[4 * batchSize];
    }

    void added(int record, long[] itemHash) {
        record(record, true, itemHash);
    }

    void removed(int record, long[] itemHash) {
        record(record, false, itemHash);
    }

    private void record(int record, boolean add, long[] itemHash) {
        records[count] = record;
        added[count] = add;
        hashes[2 * count] = itemHash[0];
        hashes[2 * count + 1] = itemHash[1];
        count++;
    }

    /** Calls {@code undo} with every change, the latest first. */
    void undo(Undo undo) {
        long[] itemHash = new long[2];
        for (int i = count - 1; i >= 0; i--) {
            itemHash[0] = hashes[2 * i];
            itemHash[1] = hashes[2 * i + 1];
            undo.change(records[i], added[i], itemHash);
        }
        count = 0;
    }
}
