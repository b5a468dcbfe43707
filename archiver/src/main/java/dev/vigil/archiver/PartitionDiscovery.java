package dev.vigil.archiver;

import dev.vigil.core.PartitionId;
import dev.vigil.core.config.NodeConfig;
import dev.vigil.core.node.StorageNodeContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Finds the partitions under a node's roots, as laid out in {@code docs/storage-node-contract.md}. */
final class PartitionDiscovery {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionDiscovery.class);

    private PartitionDiscovery() {
    }

    /**
     * Every {@code <root>/partitions/<pid>} with a {@code wal} directory, sorted by partition. Names that are
     * not valid partition ids are skipped with a warning. A missing root is an error: a mistyped root must
     * not look like a node with nothing to archive.
     */
    static List<LocalPartition> discover(NodeConfig node) throws IOException {
        List<LocalPartition> found = new ArrayList<>();
        for (Path root : node.roots()) {
            if (!Files.isDirectory(root)) {
                throw new NoSuchFileException(root.toString(), null, "node root does not exist or is not a directory;"
                        + " check node.roots in the configuration");
            }
            Path partitions = root.resolve(StorageNodeContract.PARTITIONS);
            if (!Files.isDirectory(partitions)) {
                continue;
            }
            try (Stream<Path> children = Files.list(partitions)) {
                for (Path child : children.sorted().toList()) {
                    String name = child.getFileName().toString();
                    if (!PartitionId.isValid(name)) {
                        LOG.warn("ignoring {}: '{}' is not a valid partition id", child, name);
                        continue;
                    }
                    Path wal = child.resolve(StorageNodeContract.WAL);
                    if (Files.isDirectory(wal)) {
                        found.add(new LocalPartition(PartitionId.of(name), node.replica(), wal));
                    }
                }
            }
        }
        found.sort(Comparator.comparing(LocalPartition::partition));
        for (int i = 1; i < found.size(); i++) {
            if (found.get(i).partition().equals(found.get(i - 1).partition())) {
                throw new IOException("partition " + found.get(i).partition() + " appears under two roots: "
                        + found.get(i - 1).walDir() + " and " + found.get(i).walDir());
            }
        }
        return found;
    }
}
