package dev.vigil.archiver;

import dev.vigil.core.Lsn;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectCorruptException;
import dev.vigil.core.store.ObjectInfo;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.PreconditionFailedException;
import dev.vigil.core.store.PutRequest;
import dev.vigil.core.wal.SegmentCorruptException;
import dev.vigil.core.wal.SegmentExpectation;
import dev.vigil.core.wal.SegmentReader;
import dev.vigil.core.wal.SegmentSummary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ships one sealed segment and owns the whole ship-or-compare decision: validates the whole file (never archiving a
 * corrupt one); when the repository's listing already holds the key, compares the stored object with the local copy
 * without uploading; otherwise stores it "only if absent" and confirms the stored size and checksum before calling it
 * archived, and when the put finds the key taken (a peer won the race since the listing), compares too. Equal is done;
 * different is a WAL divergence and the local copy is kept under {@code conflicts/} for forensics. Thread safe
 * (stateless).
 */
final class SegmentShipper {

    static final String CONFLICTS = "conflicts/";

    private final ObjectStore store;

    SegmentShipper(ObjectStore store) {
        this.store = store;
    }

    /**
     * @param listed whether the partition's listing of this pass already holds the segment's key: then the stored
     *               object is only compared, never uploaded again
     */
    ShipResult ship(LocalPartition partition, LocalSegment segment, boolean listed) throws IOException {
        SegmentSummary summary;
        try {
            summary = validate(partition, segment);
        } catch (SegmentCorruptException e) {
            return new ShipResult.Corrupt(segment, e);
        }
        String key = RepositoryLayout.walKey(partition.partition(), segment.range());
        Map<String, String> metadata = metadata(partition.replica(), summary);
        if (listed) {
            return compareWithExisting(partition, segment, summary, key, metadata);
        }
        ObjectInfo stored;
        try {
            // Confirmed by the service's own checksum validation where it echoes it, else by a HEAD.
            stored = store.putConfirmed(
                    PutRequest.ifAbsent(key, ObjectBody.ofFile(segment.path()), summary.checksum(), metadata));
        } catch (PreconditionFailedException taken) {
            return compareWithExisting(partition, segment, summary, key, metadata);
        }
        if (stored.size() != summary.byteSize() || !stored.checksum().equals(summary.checksum())) {
            throw new ObjectCorruptException(
                    store.describe(),
                    key,
                    "after upload the repository reports " + stored.size()
                            + " bytes with " + stored.checksum() + " but " + summary.byteSize() + " bytes with "
                            + summary.checksum() + " were sent; the segment is not counted as archived");
        }
        return new ShipResult.Uploaded(segment, summary, key);
    }

    /** A segment whose key already exists: is it ours (same bytes) or a divergent copy? */
    private ShipResult compareWithExisting(
            LocalPartition partition,
            LocalSegment segment,
            SegmentSummary summary,
            String key,
            Map<String, String> metadata)
            throws IOException {
        ObjectInfo existing;
        try {
            existing = store.head(key);
        } catch (ObjectCorruptException unreadable) {
            existing = new ObjectInfo(
                    key, -1, summary.checksum(), Map.of("problem", "unreadable metadata"), Instant.EPOCH);
            return diverged(partition, segment, summary, key, existing, metadata);
        }
        if (existing.size() == summary.byteSize() && existing.checksum().equals(summary.checksum())) {
            return new ShipResult.AlreadyArchived(
                    segment, summary, key, existing.metadata().getOrDefault("replica", "unknown"));
        }
        return diverged(partition, segment, summary, key, existing, metadata);
    }

    private ShipResult diverged(
            LocalPartition partition,
            LocalSegment segment,
            SegmentSummary summary,
            String key,
            ObjectInfo existing,
            Map<String, String> metadata)
            throws IOException {
        String conflictKey = conflictKey(partition, segment);
        try {
            store.put(
                    PutRequest.ifAbsent(conflictKey, ObjectBody.ofFile(segment.path()), summary.checksum(), metadata));
        } catch (PreconditionFailedException keptBefore) {
            // An earlier pass already kept this replica's copy.
        }
        return new ShipResult.Diverged(segment, summary, key, existing, conflictKey);
    }

    private static String conflictKey(LocalPartition partition, LocalSegment segment) {
        return CONFLICTS + partition.partition() + "/"
                + Lsn.padded(segment.range().first()) + "-"
                + Lsn.padded(segment.range().last()) + "/" + partition.replica() + ".seg";
    }

    /** Reads the whole local file through the validating reader; memory does not depend on its size. */
    private static SegmentSummary validate(LocalPartition partition, LocalSegment segment) throws IOException {
        try (InputStream in = Files.newInputStream(segment.path())) {
            return SegmentReader.validate(
                    in,
                    Files.size(segment.path()),
                    segment.path().toString(),
                    SegmentExpectation.fromFileName(segment.path().getFileName().toString())
                            .withPartition(partition.partition()));
        }
    }

    private static Map<String, String> metadata(ReplicaId replica, SegmentSummary summary) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("replica", replica.value());
        metadata.put("records", Long.toString(summary.recordCount()));
        metadata.put("first-timestamp", Long.toString(summary.firstTimestampMillis()));
        metadata.put("last-timestamp", Long.toString(summary.lastTimestampMillis()));
        return metadata;
    }
}
