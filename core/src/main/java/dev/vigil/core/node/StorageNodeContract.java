package dev.vigil.core.node;

import dev.vigil.core.PartitionId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The storage-node contract, version 1 ({@code docs/storage-node-contract.md}): where a node keeps each
 * partition's WAL and replica, and the reserved key that records a replica's applied LSN.
 *
 * <pre>
 * &lt;root&gt;/partitions/&lt;pid&gt;/wal/       WAL segments (&lt;first&gt;.open, &lt;first&gt;-&lt;last&gt;.seg) and archived.lsn
 * &lt;root&gt;/partitions/&lt;pid&gt;/replica/   the replica: a RocksDB database
 * </pre>
 */
public final class StorageNodeContract {

    public static final String PARTITIONS = "partitions";
    public static final String WAL = "wal";
    public static final String REPLICA = "replica";

    /** Written by Vigil in a WAL directory: the highest LSN up to which the partition is archived without gaps. */
    public static final String ARCHIVED_LSN_FILE = "archived.lsn";

    /**
     * The reserved key under which a node stores its applied LSN (8 bytes, big-endian) in the same write
     * batch as each mutation. It starts with a NUL byte so that it sorts before any ordinary key, and
     * digests exclude it.
     */
    private static final byte[] APPLIED_LSN_KEY = "\0vigil/applied-lsn".getBytes(StandardCharsets.US_ASCII);

    private StorageNodeContract() {}

    public static byte[] appliedLsnKey() {
        return APPLIED_LSN_KEY.clone();
    }

    public static boolean isAppliedLsnKey(byte[] key) {
        return Arrays.equals(key, APPLIED_LSN_KEY);
    }

    public static Path partitionDir(Path root, PartitionId partition) {
        return root.resolve(PARTITIONS).resolve(partition.value());
    }

    public static Path walDir(Path root, PartitionId partition) {
        return partitionDir(root, partition).resolve(WAL);
    }

    public static Path replicaDir(Path root, PartitionId partition) {
        return partitionDir(root, partition).resolve(REPLICA);
    }
}
