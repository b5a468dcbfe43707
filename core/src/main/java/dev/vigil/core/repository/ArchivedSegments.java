package dev.vigil.core.repository;

import dev.vigil.core.store.ObjectCorruptException;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.wal.SegmentCorruptException;
import dev.vigil.core.wal.SegmentExpectation;
import dev.vigil.core.wal.SegmentReader;
import dev.vigil.core.wal.SegmentSummary;
import java.io.IOException;

/** Reading archived segments back from a repository. */
public final class ArchivedSegments {

    private ArchivedSegments() {}

    /**
     * Streams an archived segment through both checks Vigil has: the store re-hashes the object against the
     * checksum stored with it, and the segment reader validates every record, the seal, and that partition
     * and LSN range match the key. Memory use does not depend on the segment's size.
     *
     * @return the segment's summary
     * @throws SegmentCorruptException when the segment's bytes violate the format (names the byte offset)
     * @throws ObjectCorruptException  when the bytes do not match the stored checksum
     */
    public static SegmentSummary verify(ObjectStore store, String key) throws IOException {
        RepositoryLayout.WalKey named = RepositoryLayout.parseWalKey(key)
                .orElseThrow(() -> new IllegalArgumentException(key + " is not an archived segment key"));
        try (ObjectStream in = store.get(key)) {
            String source = store.locate(key);
            SegmentSummary summary = SegmentReader.validate(
                    in, in.info().size(), source, SegmentExpectation.of(named.partition(), named.range()));
            if (in.info().checksum().algorithm() == summary.checksum().algorithm()
                    && !summary.checksum().equals(in.info().checksum())) {
                throw new ObjectCorruptException(
                        store.describe(),
                        key,
                        "segment hashes to " + summary.checksum() + " but was archived with "
                                + in.info().checksum());
            }
            return summary;
        }
    }
}
