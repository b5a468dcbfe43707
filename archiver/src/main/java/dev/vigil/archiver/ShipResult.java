package dev.vigil.archiver;

import dev.vigil.core.store.ObjectInfo;
import dev.vigil.core.wal.SegmentCorruptException;
import dev.vigil.core.wal.SegmentSummary;

/** What happened to one local segment. */
sealed interface ShipResult {

    LocalSegment segment();

    /** Validated, stored, and confirmed in the repository. */
    record Uploaded(LocalSegment segment, SegmentSummary summary, String key) implements ShipResult {}

    /** Already in the repository with the same size and checksum (a peer, or an earlier pass, archived it). */
    record AlreadyArchived(LocalSegment segment, SegmentSummary summary, String key, String archivedBy)
            implements ShipResult {}

    /** The repository holds different bytes for this LSN range; ours were kept under {@code conflictKey}. */
    record Diverged(LocalSegment segment, SegmentSummary summary, String key, ObjectInfo existing, String conflictKey)
            implements ShipResult {}

    /** The local file violates the format; it was not archived. */
    record Corrupt(LocalSegment segment, SegmentCorruptException corruption) implements ShipResult {}
}
