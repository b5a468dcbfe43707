package dev.vigil.replay;

import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.store.UndecryptableObjectException;
import dev.vigil.core.wal.SegmentExpectation;
import dev.vigil.core.wal.SegmentReader;
import dev.vigil.core.wal.WalRecord;
import java.io.IOException;

/**
 * One archived segment read during a replay. A failure of any read of it (opening, a record, the rest of it, closing)
 * is the segment's: a {@link ReferenceBuildException} saying it is unreadable or damaged and where the reference
 * stopped. Only these reads are blamed on the segment; what the replay does with the records (the reference's own
 * database, a stop listener) fails as itself. Not thread safe; closed by the replay that opened it.
 */
final class SegmentRead implements AutoCloseable {

    private final ArchivedSegment segment;
    private final ReferenceState reference;
    private final SegmentReader reader;

    private SegmentRead(ArchivedSegment segment, ReferenceState reference, SegmentReader reader) {
        this.segment = segment;
        this.reference = reference;
        this.reader = reader;
    }

    static SegmentRead open(SegmentFetcher fetcher, ArchivedSegment segment, ReferenceState reference)
            throws ReferenceBuildException {
        try {
            return new SegmentRead(
                    segment,
                    reference,
                    fetcher.open(segment, SegmentExpectation.of(reference.partition(), segment.range())));
        } catch (IOException e) {
            throw damaged(segment, reference, e);
        }
    }

    boolean hasNext() throws ReferenceBuildException {
        try {
            return reader.hasNext();
        } catch (IOException e) {
            throw damaged(segment, reference, e);
        }
    }

    WalRecord next() throws ReferenceBuildException {
        try {
            return reader.next();
        } catch (IOException e) {
            throw damaged(segment, reference, e);
        }
    }

    /** Reads and checks the rest of the segment (its seal) after its last record was applied. */
    void readToEnd() throws ReferenceBuildException {
        try {
            reader.readToEnd();
        } catch (IOException e) {
            throw damaged(segment, reference, e);
        }
    }

    @Override
    public void close() throws ReferenceBuildException {
        try {
            reader.close();
        } catch (IOException e) {
            throw damaged(segment, reference, e);
        }
    }

    private static ReferenceBuildException damaged(ArchivedSegment segment, ReferenceState reference, IOException e) {
        return new ReferenceBuildException(
                "partition " + reference.partition() + ": the reference stopped at LSN " + reference.lsn()
                        + " because archived segment " + segment.key()
                        + (e instanceof UndecryptableObjectException
                                ? " cannot be decrypted with the keys configured here: "
                                : " is unreadable or damaged: ")
                        + e.getMessage(),
                reference.lsn(),
                e);
    }
}
