package dev.vigil.core.config;

import dev.vigil.core.ReplicaId;
import java.nio.file.Path;
import java.util.List;

/**
 * The storage node this Vigil runs beside: the replica id its partitions' replicas carry, and the root
 * directories under which its partitions live (layout in {@code docs/storage-node-contract.md}).
 */
public record NodeConfig(ReplicaId replica, List<Path> roots) {

    public NodeConfig {
        roots = List.copyOf(roots);
    }
}
