package dev.vigil.replay.snapshot;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.vigil.core.PartitionId;
import java.util.List;

/**
 * What a committed reference snapshot holds, written last as {@code manifest.json}: a snapshot without its
 * manifest does not exist. The digest lets a loader prove that the items it read are the state at {@link #lsn};
 * each file's size and SHA-256 prove the object is the one the manifest meant.
 *
 * @param format       manifest format version ({@value #FORMAT})
 * @param partition    the partition
 * @param lsn          the items are the partition's state after applying every record up to this LSN
 * @param items        number of items (rows over all files)
 * @param digest       the reference digest at {@code lsn}
 * @param walBytes     archived WAL bytes replayed up to {@code lsn}, when known (for the snapshot policy)
 * @param files        the Parquet files, in key order (each file's keys sort after the previous file's)
 * @param createdAt    when the snapshot was written (ISO-8601 instant)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SnapshotManifest(
        int format,
        String partition,
        long lsn,
        long items,
        DigestSummary digest,
        long walBytes,
        List<SnapshotFile> files,
        String createdAt) {

    public static final int FORMAT = 1;

    public SnapshotManifest {
        files = List.copyOf(files);
        PartitionId.of(partition);
        if (lsn < 0 || items < 0) {
            throw new IllegalArgumentException("snapshot manifest of " + partition + ": negative LSN or item count");
        }
    }

    public PartitionId partitionId() {
        return PartitionId.of(partition);
    }

    /**
     * A Parquet file of a snapshot ({@code part-00000.parquet}, ...). The name is read from the repository and is
     * checked as a plain file name when it becomes a local path, never trusted.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SnapshotFile(
            String name, long size, @JsonProperty("sha256") String sha256, long rows) {
        public SnapshotFile {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("a snapshot file needs a name");
            }
        }
    }

    /** The digest's identity: algorithm, bucket bits and root, as hex. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DigestSummary(String algorithm, int bucketBits, String root) {}
}
