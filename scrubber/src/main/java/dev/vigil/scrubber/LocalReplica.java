package dev.vigil.scrubber;

import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.config.NodeConfig;
import dev.vigil.core.node.StorageNodeContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** One partition replica's store on this node ({@code <root>/partitions/<pid>/replica}). */
public record LocalReplica(PartitionId partition, ReplicaId replica, Path directory) {

    /** Every partition under the node's roots that has a replica directory, by partition. */
    static List<LocalReplica> discover(NodeConfig node) throws IOException {
        List<LocalReplica> found = new ArrayList<>();
        for (Path root : node.roots()) {
            Path partitions = root.resolve(StorageNodeContract.PARTITIONS);
            if (!Files.isDirectory(partitions)) {
                continue;
            }
            try (Stream<Path> children = Files.list(partitions)) {
                for (Path child : children.sorted().toList()) {
                    String name = child.getFileName().toString();
                    Path replicaDir = child.resolve(StorageNodeContract.REPLICA);
                    if (PartitionId.isValid(name) && Files.isDirectory(replicaDir)) {
                        found.add(new LocalReplica(PartitionId.of(name), node.replica(), replicaDir));
                    }
                }
            }
        }
        found.sort(Comparator.comparing(LocalReplica::partition));
        return found;
    }
}
