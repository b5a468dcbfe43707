package dev.vigil.cli;

import dev.vigil.core.Keys;
import dev.vigil.core.wal.OpenSegmentScan;
import dev.vigil.core.wal.SegmentCorruptException;
import dev.vigil.core.wal.SegmentHeader;
import dev.vigil.core.wal.SegmentSummary;
import dev.vigil.core.wal.WalRecord;
import java.io.IOException;

/** Prints what {@code inspect segment} learns, as it learns it (records stream; nothing is held in memory). */
interface SegmentPrinter extends AutoCloseable {

    /** The segment is a repository object: {@code description} says which kind. Called before {@link #header}. */
    void object(String description) throws IOException;

    /** Whether the object's bytes matched the checksum it was stored with ({@code detail} names it, or the mismatch). */
    void objectChecksum(String detail, boolean matches) throws IOException;

    void header(SegmentHeader header) throws IOException;

    void record(WalRecord record);

    void sealed(SegmentSummary summary) throws IOException;

    void open(OpenSegmentScan scan) throws IOException;

    void corrupt(SegmentCorruptException corruption) throws IOException;

    @Override
    void close() throws IOException;

    /** Printable ASCII keys as text, anything else as {@code 0x<hex>}. */
    static String renderKey(byte[] key) {
        return Keys.printable(key);
    }
}
