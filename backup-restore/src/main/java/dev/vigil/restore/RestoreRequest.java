package dev.vigil.restore;

import dev.vigil.core.PartitionId;
import dev.vigil.replay.ReferenceLocation;
import java.nio.file.Path;

/**
 * A restore to run.
 *
 * @param force         replace a non-empty target directory (it is replaced only after the new state is verified)
 * @param acceptArchive install the archive's version even when what the replicas reported at that LSN contradicts it
 *                      (an {@code ARCHIVE_DIVERGED} or {@code NO_MAJORITY} verdict, or scrub reports that agree with
 *                      each other and not with the archive): an operator's explicit decision, recorded in the checks
 * @param rocksdbFormatVersion the RocksDB table {@code format_version} a {@code rocksdb} output is written in, so that
 *                      the node's RocksDB reads it (see {@link ReferenceLocation#DEFAULT_REPLICA_FORMAT_VERSION})
 */
public record RestoreRequest(
        PartitionId partition,
        RestoreTarget target,
        Path directory,
        RestoreFormat format,
        boolean force,
        boolean acceptArchive,
        int rocksdbFormatVersion) {

    public RestoreRequest {
        if (rocksdbFormatVersion < ReferenceLocation.Replica.OLDEST_FORMAT_VERSION
                || rocksdbFormatVersion > ReferenceLocation.Replica.NEWEST_FORMAT_VERSION) {
            throw new IllegalArgumentException("RocksDB format_version " + rocksdbFormatVersion + " is not one Vigil"
                    + " writes: use " + ReferenceLocation.Replica.OLDEST_FORMAT_VERSION + " to "
                    + ReferenceLocation.Replica.NEWEST_FORMAT_VERSION);
        }
    }

    /** A restore in the default table format. */
    public RestoreRequest(
            PartitionId partition,
            RestoreTarget target,
            Path directory,
            RestoreFormat format,
            boolean force,
            boolean acceptArchive) {
        this(
                partition,
                target,
                directory,
                format,
                force,
                acceptArchive,
                ReferenceLocation.DEFAULT_REPLICA_FORMAT_VERSION);
    }

    /** A restore that refuses to call a contradicted archive verified. */
    public RestoreRequest(
            PartitionId partition, RestoreTarget target, Path directory, RestoreFormat format, boolean force) {
        this(partition, target, directory, format, force, false);
    }
}
