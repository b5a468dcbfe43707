package dev.vigil.scrubber;

import dev.vigil.core.digest.ItemFrame;
import java.io.IOException;
import java.util.OptionalLong;

/** A consistent, read-only view of a replica. Not thread safe. */
public interface ReplicaView extends AutoCloseable {

    /** The LSN the view's data reflects (the reserved applied-LSN key), if the node wrote it. */
    OptionalLong appliedLsn() throws IOException;

    /**
     * Visits every item except the reserved applied-LSN key, in key order, verifying the storage's own
     * checksums on every block read.
     *
     * @throws ReplicaCorruptException when the storage reports corruption (bit rot), naming the node's file and the
     *                                 last key read intact
     */
    void scan(ItemVisitor visitor) throws IOException;

    /**
     * Verifies every block of every storage file against its checksum, including blocks a scan never reads (filters,
     * properties, indexes of other levels, footers). Call it after {@link #scan}, while the files are still in the page
     * cache. {@code visitor} is told each file's size before it is read (for rate limiting).
     *
     * @throws ReplicaCorruptException naming the node's file and the kind of block that failed
     */
    void verifyFiles(FileVisitor visitor) throws IOException;

    @Override
    void close();

    /**
     * Receives items during a scan, each in one reused {@link ItemFrame} that the next item overwrites: a visitor that
     * keeps a key or value copies it ({@link ItemFrame#key()}, {@link ItemFrame#value()}). A source that can copy
     * into a caller's array fills the frame in place ({@link ItemFrame#readKey}, {@link ItemFrame#readValue}); one
     * that reads arrays hands them over with {@link ItemFrame#set}.
     */
    @FunctionalInterface
    interface ItemVisitor {
        void item(ItemFrame item) throws IOException;
    }

    /** Told before each file is verified. */
    @FunctionalInterface
    interface FileVisitor {
        void before(long bytes);
    }
}
