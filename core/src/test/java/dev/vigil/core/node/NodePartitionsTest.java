package dev.vigil.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.PartitionId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodePartitionsTest {

    @TempDir
    Path dir;

    @Test
    void aPartitionUnderTwoRootsIsAnErrorNamingBothForTheWalAndTheReplica() throws IOException {
        Path a = Files.createDirectories(dir.resolve("a/partitions/p-0001/wal"));
        Path b = Files.createDirectories(dir.resolve("b/partitions/p-0001/wal"));
        Files.createDirectories(dir.resolve("a/partitions/p-0001/replica"));
        Files.createDirectories(dir.resolve("b/partitions/p-0001/replica"));
        List<Path> roots = List.of(dir.resolve("a"), dir.resolve("b"));

        for (String name : List.of(StorageNodeContract.WAL, StorageNodeContract.REPLICA)) {
            assertThatThrownBy(() -> NodePartitions.withSubdirectory(roots, name))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("partition p-0001 appears under two roots: ")
                    .hasMessageContaining(
                            dir.resolve("a/partitions/p-0001/" + name).toString())
                    .hasMessageContaining(
                            dir.resolve("b/partitions/p-0001/" + name).toString());
        }
        assertThat(a).exists();
        assertThat(b).exists();
    }

    @Test
    void partitionsSpreadOverRootsAreFoundOnceEach() throws IOException {
        Files.createDirectories(dir.resolve("a/partitions/p-0001/replica"));
        Files.createDirectories(dir.resolve("b/partitions/p-0002/replica"));
        Files.createDirectories(dir.resolve("b/partitions/p-0003/wal"));

        assertThat(NodePartitions.withSubdirectory(
                        List.of(dir.resolve("a"), dir.resolve("b")), StorageNodeContract.REPLICA))
                .extracting(NodePartitions.Entry::partition)
                .containsExactly(PartitionId.of("p-0001"), PartitionId.of("p-0002"));
    }
}
