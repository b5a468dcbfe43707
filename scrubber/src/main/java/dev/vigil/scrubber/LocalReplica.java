package dev.vigil.scrubber;

import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.config.NodeConfig;
import dev.vigil.core.node.NodePartitions;
import dev.vigil.core.node.StorageNodeContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One partition replica's store on this node ({@code <root>/partitions/<pid>/replica}). */
public record LocalReplica(PartitionId partition, ReplicaId replica, Path directory) {

    /** Every partition under the node's roots that has a replica directory, by partition. */
    static List<LocalReplica> discover(NodeConfig node) throws IOException {
        List<LocalReplica> found = new ArrayList<>();
        for (NodePartitions.Entry entry : NodePartitions.list(node.roots())) {
            Path replicaDir = entry.directory().resolve(StorageNodeContract.REPLICA);
            if (Files.isDirectory(replicaDir)) {
                found.add(new LocalReplica(entry.partition(), node.replica(), replicaDir));
            }
        }
        return found;
    }
}
