package dev.vigil.core.node;

import dev.vigil.core.PartitionId;
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

/** The partition directories under a node's roots ({@code <root>/partitions/<pid>}), as the contract lays them out. */
public final class NodePartitions {

    private static final Logger LOG = LoggerFactory.getLogger(NodePartitions.class);

    /** A partition's directory under one of the roots. */
    public record Entry(PartitionId partition, Path directory) {}

    private NodePartitions() {}

    /**
     * Every {@code <root>/partitions/<pid>} directory, by partition. Names that are not valid partition ids are
     * skipped with a warning. A missing root is an error: a mistyped root must not look like a node without
     * partitions.
     */
    public static List<Entry> list(List<Path> roots) throws IOException {
        List<Entry> found = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                throw new NoSuchFileException(
                        root.toString(),
                        null,
                        "node root does not exist or is not a directory;" + " check node.roots in the configuration");
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
                    } else if (Files.isDirectory(child)) {
                        found.add(new Entry(PartitionId.of(name), child));
                    }
                }
            }
        }
        found.sort(Comparator.comparing(Entry::partition));
        return found;
    }

    /**
     * The directories {@code <root>/partitions/<pid>/<name>} that exist ({@code wal}, {@code replica}), by partition,
     * with the same rules as {@link #list}. A partition found under two roots is an error naming both: which copy is
     * the node's would be a guess, and archiving or scrubbing either could report the other as lost.
     */
    public static List<Entry> withSubdirectory(List<Path> roots, String name) throws IOException {
        List<Entry> found = new ArrayList<>();
        for (Entry entry : list(roots)) {
            Path directory = entry.directory().resolve(name);
            if (Files.isDirectory(directory)) {
                if (!found.isEmpty() && found.getLast().partition().equals(entry.partition())) {
                    throw new IOException("partition " + entry.partition() + " appears under two roots: "
                            + found.getLast().directory() + " and " + directory + "; a partition must live under one"
                            + " root only (fix node.roots, or move one copy away)");
                }
                found.add(new Entry(entry.partition(), directory));
            }
        }
        return found;
    }
}
