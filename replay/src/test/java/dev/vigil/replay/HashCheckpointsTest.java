package dev.vigil.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.digest.Digest;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.sketch.DifferenceSketch;
import dev.vigil.core.sketch.SketchShape;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.PutRequest;
import dev.vigil.demo.node.ReplicationGroup;
import dev.vigil.replay.snapshot.SnapshotException;
import dev.vigil.replay.snapshot.SnapshotManifest;
import dev.vigil.replay.snapshot.SnapshotMismatchException;
import dev.vigil.replay.snapshot.Snapshots;
import dev.vigil.testkit.store.ForwardingObjectStore;
import dev.vigil.testkit.store.StoredBytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hash-state checkpoints: a worker that never saw a partition resumes it from the newest checkpoint and the WAL since,
 * downloading no snapshot; a damaged checkpoint is named and an older starting point used; only the newest two stay.
 */
class HashCheckpointsTest {

    private static final int BITS = 8;
    private static final SketchShape SHAPE = SketchShape.forCapacity(300);

    @TempDir
    Path dir;

    private final Clock clock = Clock.systemUTC();
    private final List<SnapshotException> bad = new ArrayList<>();
    private final List<String> gets = new ArrayList<>();
    private ArchivedPartition archived;
    private ReplicationGroup group;
    private ObjectStore store;
    private ObjectStore counting;

    @BeforeEach
    void setUp() throws Exception {
        archived = new ArchivedPartition(dir, clock);
        group = archived.group();
        store = archived.store();
        counting = new ForwardingObjectStore(store) {
            @Override
            public ObjectStream get(String key) throws IOException {
                gets.add(key);
                return super.get(key);
            }
        };
    }

    @AfterEach
    void tearDown() throws Exception {
        archived.close();
    }

    private long archive(int records) throws Exception {
        return archived.archive(records);
    }

    private ReferenceBuilder builder(long every) {
        Repository repository = new Repository(counting);
        return new ReferenceBuilder(
                repository, Optional.of(new Snapshots(repository, dir.resolve("scratch"), clock, 2)), every, bad::add);
    }

    private Digest buildTo(ReferenceBuilder builder, Path work, long target) throws Exception {
        try (ReferenceState reference =
                builder.open(work, group.partition(), DigestAlgorithm.XXH128, BITS, target, Optional.of(SHAPE))) {
            builder.advance(reference, target, new TreeSet<>(), (l, s) -> {});
            return reference.digest();
        }
    }

    private HashCheckpoints checkpoints() {
        return new HashCheckpoints(new Repository(store), dir.resolve("scratch"), clock);
    }

    @Test
    void aWorkerThatNeverSawThePartitionResumesFromTheHashStateWithoutASnapshot() throws Exception {
        long first = archive(2_000);
        long every = 3 * archived.firstSegmentBytes();
        buildTo(builder(every), dir.resolve("first-worker"), first);
        List<Long> states = checkpoints().list(group.partition());
        assertThat(states).isNotEmpty();
        long last = archive(500);

        gets.clear();
        Digest resumed = buildTo(builder(0), dir.resolve("second-worker"), last);

        assertThat(gets).as("what the second worker read").noneMatch(key -> key.contains("/snapshots/"));
        assertThat(gets)
                .as("the newest hash state")
                .contains(HashCheckpoints.hashesKey(group.partition(), states.getLast()));
        assertThat(resumed).isEqualTo(buildTo(new ReferenceBuilder(new Repository(store)), dir.resolve("full"), last));
        assertThat(bad).isEmpty();
    }

    @Test
    void aLoadedHashStateHasTheReferencesDigestAndSketch() throws Exception {
        long last = archive(900);
        Digest digest;
        Optional<DifferenceSketch> sketch;
        try (ReferenceState reference = ReferenceState.open(
                dir.resolve("work"), group.partition(), DigestAlgorithm.XXH128, BITS, Optional.of(SHAPE))) {
            new ReferenceBuilder(new Repository(store)).advance(reference, last, new TreeSet<>(), (l, s) -> {});
            checkpoints().publish(reference);
            digest = reference.digest();
            sketch = reference.sketch();
        }
        try (ReferenceState loaded = checkpoints()
                .load(
                        group.partition(),
                        last,
                        ReferenceLocation.work(dir.resolve("load"), group.partition()),
                        DigestAlgorithm.XXH128,
                        BITS,
                        Optional.of(SHAPE))) {
            assertThat(loaded.lsn()).isEqualTo(last);
            assertThat(loaded.digest()).isEqualTo(digest);
            assertThat(loaded.sketch()).isEqualTo(sketch);
        }
    }

    @Test
    void aDamagedHashStateIsNamedAndTheWorkerStartsFromTheSnapshotInstead() throws Exception {
        long first = archive(1_000);
        try (ReferenceState reference =
                builder(0).open(dir.resolve("work"), group.partition(), DigestAlgorithm.XXH128, BITS, first)) {
            builder(0).advance(reference, first, new TreeSet<>(), (l, s) -> {});
            builder(0).snapshot(reference);
        }
        String hashes = HashCheckpoints.hashesKey(group.partition(), first);
        StoredBytes.flip(dir.resolve("repo"), hashes, 40, 0x01);

        gets.clear();
        Digest resumed = buildTo(builder(0), dir.resolve("fresh"), first);

        assertThat(bad).singleElement().satisfies(e -> {
            assertThat(e.key()).isEqualTo(hashes);
            assertThat(e.getMessage()).contains(hashes);
        });
        assertThat(gets).as("fell back to the snapshot").anyMatch(key -> key.contains("/snapshots/"));
        assertThat(resumed).isEqualTo(buildTo(new ReferenceBuilder(new Repository(store)), dir.resolve("full"), first));
    }

    @Test
    void onlyTheTwoNewestHashStatesOfAPartitionStay() throws Exception {
        long last = archive(2_000);
        long every = archived.firstSegmentBytes();
        buildTo(builder(every), dir.resolve("work"), last);

        List<Long> states = checkpoints().list(group.partition());
        assertThat(states).hasSize(2);
        List<String> keys = new ArrayList<>();
        store.forEach(RepositoryLayout.hashStatesPrefix(group.partition()), o -> keys.add(o.key()));
        assertThat(keys)
                .hasSize(4)
                .allMatch(k -> states.stream()
                        .anyMatch(lsn -> k.startsWith(RepositoryLayout.hashStatePrefix(group.partition(), lsn))));
    }

    @Test
    void theSnapshotTaskMergesAtTheNewestCheckpointAndProvesItAgainstTheCheckpoint() throws Exception {
        long last = archive(2_000);
        long every = 3 * archived.firstSegmentBytes();
        ReferenceBuilder judge = builder(every).withSnapshotsByTask();
        buildTo(judge, dir.resolve("work"), last);
        Snapshots snapshots = new Snapshots(new Repository(store), dir.resolve("scratch"), clock, 2);
        assertThat(snapshots.list(group.partition()))
                .as("the judge wrote no snapshot")
                .isEmpty();
        List<Long> states = checkpoints().list(group.partition());
        assertThat(states).as("but checkpoints on the policy").isNotEmpty();
        long newest = states.getLast();

        Optional<SnapshotManifest> written = judge.snapshotAtNewestCheckpoint(group.partition());

        String checkpointRoot = checkpoints()
                .readManifest(group.partition(), newest)
                .orElseThrow()
                .root();
        assertThat(written).hasValueSatisfying(m -> {
            assertThat(m.lsn()).isEqualTo(newest);
            assertThat(m.digest().root()).isEqualTo(checkpointRoot);
        });
        assertThat(judge.snapshotAtNewestCheckpoint(group.partition()))
                .as("nothing newer to do")
                .isEmpty();
        assertThat(bad).isEmpty();
    }

    @Test
    void aSnapshotThatDisagreesWithItsCheckpointIsNotPublished() throws Exception {
        long last = archive(1_000);
        ReferenceBuilder judge = builder(0).withSnapshotsByTask();
        try (ReferenceState reference =
                judge.open(dir.resolve("work"), group.partition(), DigestAlgorithm.XXH128, BITS, last)) {
            judge.advance(reference, last, new TreeSet<>(), (l, s) -> {});
            checkpoints().publish(reference);
        }
        // A checkpoint manifest rewritten consistently: another root, valid checksums.
        String key = HashCheckpoints.manifestKey(group.partition(), last);
        String manifest;
        try (ObjectStream in = store.get(key)) {
            manifest = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        byte[] body = manifest.replaceFirst("\"root\" : \"([0-9a-f])", "\"root\" : \"f")
                .replaceFirst("\"root\" : \"ff", "\"root\" : \"0f")
                .getBytes(StandardCharsets.UTF_8);
        store.put(PutRequest.overwrite(
                key, ObjectBody.ofBytes(body), Checksum.of(ChecksumAlgorithm.SHA256, body), Map.of()));

        assertThatThrownBy(() -> judge.snapshotAtNewestCheckpoint(group.partition()))
                .isInstanceOf(SnapshotMismatchException.class)
                .hasMessageContaining("was not published");
        assertThat(new Snapshots(new Repository(store), dir.resolve("scratch"), clock, 2)
                        .objectsByLsn(group.partition()))
                .isEmpty();
    }
}
