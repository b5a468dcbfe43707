package dev.vigil.archiver;

import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import java.nio.file.Path;

/** One partition replica on this node: its id, this node's replica id, and its WAL directory. */
public record LocalPartition(PartitionId partition, ReplicaId replica, Path walDir) {}
