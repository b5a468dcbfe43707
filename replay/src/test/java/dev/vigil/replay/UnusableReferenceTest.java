package dev.vigil.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.PartitionId;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.demo.node.ReplicationGroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local reference that cannot be opened (a second daemon wrote into the same work directory: "Sst file size
 * mismatch … MANIFEST may be corrupted") is discarded, said so, and rebuilt; before, the judge failed the same way at
 * every run, forever.
 */
class UnusableReferenceTest {

    private static final int BITS = 6;

    @TempDir
    Path dir;

    private record Discarded(PartitionId partition, Path directory, String why) {}

    @Test
    void aReferenceWhoseTableFileWasReplacedIsDiscardedNamedAndRebuilt() throws Exception {
        Path work = dir.resolve("work");
        try (ReplicationGroup group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                        .replicas("r1")
                        .recordsPerSegment(300)
                        .build();
                ObjectStore store = ObjectStores.localDirectory(dir.resolve("repo"), Clock.systemUTC())) {
            group.write(600);
            try (ReferenceState reference =
                    ReferenceState.open(work, group.partition(), DigestAlgorithm.XXH128, BITS)) {
                reference.applyAll(group.history());
                reference.save();
            }
            Path database = ReferenceLocation.work(work, group.partition()).database();
            List<Path> tables;
            try (Stream<Path> files = Files.list(database)) {
                tables = files.filter(f -> f.toString().endsWith(".sst")).toList();
            }
            assertThat(tables).isNotEmpty();
            // What a second writer leaves: a table file of another size than the MANIFEST records.
            Files.write(tables.getFirst(), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);

            List<Discarded> discarded = new ArrayList<>();
            ReferenceBuilder builder = new ReferenceBuilder(new Repository(store))
                    .withRebuiltReferences(
                            (partition, directory, why) -> discarded.add(new Discarded(partition, directory, why)));
            try (ReferenceState rebuilt = builder.open(work, group.partition(), DigestAlgorithm.XXH128, BITS, 600)) {
                assertThat(rebuilt.lsn())
                        .as("starts over: no snapshot in this repository")
                        .isZero();
            }
            assertThat(discarded).hasSize(1);
            assertThat(discarded.getFirst().partition()).isEqualTo(group.partition());
            assertThat(discarded.getFirst().directory()).isEqualTo(database.getParent());
            assertThat(discarded.getFirst().why()).contains("cannot open the reference of " + group.partition());

            // The next open finds a sound (empty) reference: nothing is discarded again.
            try (ReferenceState again = builder.open(work, group.partition(), DigestAlgorithm.XXH128, BITS, 600)) {
                assertThat(again.lsn()).isZero();
            }
            assertThat(discarded).hasSize(1);
        }
    }
}
