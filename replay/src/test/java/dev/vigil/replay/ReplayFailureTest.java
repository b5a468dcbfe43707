package dev.vigil.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.digest.Digest;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.sketch.DifferenceSketch;
import dev.vigil.core.sketch.SketchShape;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.summary.StateAccumulator;
import dev.vigil.demo.node.ReplicationGroup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDBException;

/**
 * A batch the reference's own database refuses (a full or failing disk) is applied all or nothing: the digest and
 * sketch are exactly as before it, the same records can be applied again, and a replay reports the local database,
 * never the archive's segment, as what failed.
 */
class ReplayFailureTest {

    private static final int BITS = 6;
    private static final Optional<SketchShape> SKETCH = Optional.of(SketchShape.forCapacity(SketchShape.MIN_CAPACITY));

    @TempDir
    Path dir;

    private ReplicationGroup group;
    private ObjectStore store;

    @BeforeEach
    void setUp() throws Exception {
        group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                .replicas("r1")
                .recordsPerSegment(300)
                .keySpace(40) // overwrites and deletes of keys the refused batch already holds
                .build();
        store = ObjectStores.localDirectory(dir.resolve("repo"), Clock.systemUTC());
    }

    @AfterEach
    void tearDown() throws Exception {
        store.close();
        group.close();
    }

    private static ReplayBatch.Writer refusing() {
        return batch -> {
            throw new RocksDBException("IO error: No space left on device");
        };
    }

    @Test
    void aRefusedBatchLeavesDigestSketchAndLsnAsTheyWereAndCanBeAppliedAgain() throws Exception {
        long last = group.write(600);
        try (ReferenceState reference =
                ReferenceState.open(dir.resolve("work"), group.partition(), DigestAlgorithm.XXH128, BITS, SKETCH)) {
            reference.applyAll(group.history().subList(0, 300));
            Digest digest = reference.digest();
            Optional<DifferenceSketch> sketch = reference.sketch();
            ReplayBatch.Writer real = reference.writeWith(refusing());

            assertThatThrownBy(() -> reference.applyAll(group.history().subList(300, 600)))
                    .isInstanceOf(ReferenceApplyException.class)
                    .hasMessageContaining(group.partition().value())
                    .hasMessageContaining(dir.resolve("work").toString())
                    .hasMessageContaining("LSNs 301..600")
                    .hasMessageContaining("No space left on device")
                    .hasMessageContaining("stays at LSN 300")
                    .hasMessageContaining("not the archive");
            assertThat(reference.lsn()).isEqualTo(300);
            assertThat(reference.digest())
                    .as("the refused batch's changes are undone")
                    .isEqualTo(digest);
            assertThat(reference.sketch()).isEqualTo(sketch);

            reference.writeWith(real);
            reference.applyAll(group.history().subList(300, 600));
            assertThat(reference.lsn()).isEqualTo(last);
            Map<String, byte[]> state = group.stateAt(last);
            StateAccumulator expected = StateAccumulator.create(DigestAlgorithm.XXH128, BITS, SKETCH);
            state.forEach((key, value) -> expected.add(key.getBytes(StandardCharsets.UTF_8), value));
            assertThat(reference.digest()).isEqualTo(expected.digest().snapshot());
            assertThat(reference.sketch()).isEqualTo(expected.sketch());
        }
    }

    @Test
    void aReplayWhoseDatabaseRefusesABatchBlamesTheDatabaseNotTheSegment() throws Exception {
        group.write(600);
        group.sealAll();
        group.replica("r1").storeSealedSegments(store);
        ReferenceBuilder builder = new ReferenceBuilder(new Repository(store));
        try (ReferenceState reference =
                ReferenceState.open(dir.resolve("work"), group.partition(), DigestAlgorithm.XXH128, BITS)) {
            builder.advance(reference, 300, new TreeSet<>(), (l, s) -> {});
            reference.writeWith(refusing());

            assertThatThrownBy(() -> builder.advance(reference, 600, new TreeSet<>(), (l, s) -> {}))
                    .isInstanceOf(ReferenceApplyException.class)
                    .isNotInstanceOf(ReferenceBuildException.class)
                    .hasMessageNotContaining("unreadable or damaged")
                    .hasMessageContaining("stays at LSN 300");
            assertThat(reference.lsn()).isEqualTo(300);
        }
    }

    @Test
    void aStopListenersOwnFailureIsNotBlamedOnTheSegment() throws Exception {
        group.write(600);
        group.sealAll();
        group.replica("r1").storeSealedSegments(store);
        try (ReferenceState reference =
                ReferenceState.open(dir.resolve("work"), group.partition(), DigestAlgorithm.XXH128, BITS)) {
            IOException verdictWrite = new IOException("cannot write the verdict: S3 is down");
            assertThatThrownBy(() -> new ReferenceBuilder(new Repository(store))
                            .advance(reference, 600, new TreeSet<>(List.of(450L)), (lsn, state) -> {
                                throw verdictWrite;
                            }))
                    .isSameAs(verdictWrite);
            assertThat(reference.lsn()).isEqualTo(450);
        }
    }
}
