package dev.vigil.scrubber;

import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.config.NodeConfig;
import dev.vigil.core.node.NodePartitions;
import dev.vigil.core.node.StorageNodeContract;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One partition replica's store on this node ({@code <root>/partitions/<pid>/replica}). */
public record LocalReplica(PartitionId partition, ReplicaId replica, Path directory) {

    /** Every partition under the node's roots that has a replica directory, by partition; one under two roots is an error. */
    static List<LocalReplica> discover(NodeConfig node) throws IOException {
        List<LocalReplica> found = new ArrayList<>();
        for (NodePartitions.Entry entry : NodePartitions.withSubdirectory(node.roots(), StorageNodeContract.REPLICA)) {
            found.add(new LocalReplica(entry.partition(), node.replica(), entry.directory()));
        }
        return found;
    }
}
