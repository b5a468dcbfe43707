package dev.vigil.archiver;

import dev.vigil.core.config.NodeConfig;
import dev.vigil.core.node.NodePartitions;
import dev.vigil.core.node.StorageNodeContract;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Finds the partitions under a node's roots that have a WAL directory. */
final class PartitionDiscovery {

    private PartitionDiscovery() {}

    /** Every partition with a {@code wal} directory, by partition; a partition under two roots is an error. */
    static List<LocalPartition> discover(NodeConfig node) throws IOException {
        List<LocalPartition> found = new ArrayList<>();
        for (NodePartitions.Entry entry : NodePartitions.withSubdirectory(node.roots(), StorageNodeContract.WAL)) {
            found.add(new LocalPartition(entry.partition(), node.replica(), entry.directory()));
        }
        return found;
    }
}
