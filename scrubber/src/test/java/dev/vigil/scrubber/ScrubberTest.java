package dev.vigil.scrubber;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.ReplicaId;
import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.AlertType;
import dev.vigil.core.config.NodeConfig;
import dev.vigil.core.config.ScrubConfig;
import dev.vigil.core.digest.Digest;
import dev.vigil.core.digest.DigestAccumulator;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.digest.DrillDown;
import dev.vigil.core.digest.ItemHasher;
import dev.vigil.core.digest.KeyDifference;
import dev.vigil.core.digest.KeyHash;
import dev.vigil.core.repository.ReportAt;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.repository.ScrubReport;
import dev.vigil.core.repository.SketchRead;
import dev.vigil.core.sketch.SketchDecoding;
import dev.vigil.core.sketch.SketchShape;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.summary.StateAccumulator;
import dev.vigil.demo.node.Divergence;
import dev.vigil.demo.node.ReplicationGroup;
import dev.vigil.demo.node.SimulatedReplica;
import dev.vigil.testkit.alert.RecordingAlerts;
import dev.vigil.testkit.time.MutableClock;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class ScrubberTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final RecordingAlerts alerts = new RecordingAlerts();
    private ReplicationGroup group;
    private ObjectStore store;
    /** Checkpoints kept (most tests here are about them); the default releases them once a sketch is published. */
    private final ScrubConfig config = new ScrubConfig(
            0,
            Optional.empty(),
            Optional.empty(),
            Duration.ofHours(24),
            DigestAlgorithm.XXH128,
            8,
            SketchShape.DEFAULT_CAPACITY,
            true);

    @BeforeEach
    void setUp() throws Exception {
        group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                .clock(clock)
                .recordsPerSegment(100)
                .keySpace(300)
                .build();
        store = ObjectStores.localDirectory(dir.resolve("repo"), clock);
    }

    @AfterEach
    void tearDown() throws Exception {
        store.close();
        group.close();
    }

    private Scrubber scrubberFor(SimulatedReplica replica) {
        return new Scrubber(
                new Repository(store),
                new NodeConfig(replica.id(), List.of(replica.root())),
                config,
                new RocksDbReplicaSource(dir.resolve("work-" + replica.id() + "/scratch")),
                dir.resolve("work-" + replica.id()),
                alerts,
                clock);
    }

    private Digest oracle(long lsn) {
        DigestAccumulator accumulator = new DigestAccumulator(config.algorithm(), config.bucketBits());
        group.stateAt(lsn).forEach((k, v) -> accumulator.add(k.getBytes(StandardCharsets.UTF_8), v));
        return accumulator.snapshot();
    }

    private Digest published(ScrubReport report) throws IOException {
        String key = RepositoryLayout.scrubKey(report.partition(), report.appliedLsn(), report.replica(), "digest");
        try (ObjectStream in = store.get(key)) {
            return Digest.decode(in.readAllBytes(), key);
        }
    }

    @Test
    void aCleanGroupUnderContinuousWritesScrubsToTheReferenceDigestEveryTime() throws Exception {
        List<ScrubReport> reports = new ArrayList<>();
        // The first batch is applied before any scrub: a replica that applied nothing yet has no applied-LSN key, and
        // is (rightly) refused, which is another test's subject.
        group.write(50);
        Thread writer = Thread.ofPlatform().name("test-node-writes").start(() -> {
            try {
                for (int i = 1; i < 40; i++) {
                    group.write(50);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        for (int cycle = 0; cycle < 4; cycle++) {
            for (SimulatedReplica replica : group.replicas()) {
                List<ScrubOutcome> outcomes = scrubberFor(replica).scrub(Optional.empty());
                assertThat(outcomes)
                        .singleElement()
                        .satisfies(o -> assertThat(o.error()).as("%s", o).isEmpty());
                outcomes.forEach(o -> o.report().ifPresent(reports::add));
            }
        }
        writer.join();
        group.replicas().forEach(r -> {
            try {
                reports.addAll(scrubberFor(r).scrub(Optional.empty()).stream()
                        .flatMap(o -> o.report().stream())
                        .toList());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(reports).hasSize(15);
        for (ScrubReport report : reports) {
            Digest digest = published(report);
            assertThat(digest)
                    .as("%s of %s at LSN %d", report.replica(), report.partition(), report.appliedLsn())
                    .isEqualTo(oracle(report.appliedLsn()));
            assertThat(report.items())
                    .isEqualTo(group.stateAt(report.appliedLsn()).size());
        }
        assertThat(reports.getLast().appliedLsn()).isEqualTo(2_000);
        assertThat(alerts.all()).isEmpty();
    }

    @Test
    void flippedBytesInOneReplicasSstAreBitRotForExactlyThatReplica() throws Exception {
        group.write(3_000);
        for (SimulatedReplica replica : group.replicas()) {
            replica.flush();
        }
        Path sst = largestSst(group.replica("r2").replicaDir());
        try (RandomAccessFile raw = new RandomAccessFile(sst.toFile(), "rw")) {
            for (long position = 1_000; position < raw.length() / 2; position += 4_096) {
                raw.seek(position);
                int b = raw.read();
                raw.seek(position);
                raw.write(b ^ 0xff);
            }
        }

        List<ScrubOutcome> outcomes = new ArrayList<>();
        for (SimulatedReplica replica : group.replicas()) {
            outcomes.addAll(scrubberFor(replica).scrub(Optional.empty()));
        }

        assertThat(outcomes)
                .filteredOn(o -> o.finding().isPresent())
                .singleElement()
                .satisfies(o -> assertThat(o.replica()).isEqualTo(ReplicaId.of("r2")));
        assertThat(outcomes)
                .filteredOn(o -> o.report().isPresent())
                .extracting(ScrubOutcome::replica)
                .containsExactly(ReplicaId.of("r1"), ReplicaId.of("r3"));
        Alert rot = alerts.ofType(AlertType.REPLICA_BIT_ROT).getFirst();
        assertThat(alerts.ofType(AlertType.REPLICA_BIT_ROT)).hasSize(1);
        assertThat(rot.replica()).contains(group.replica("r2").id());
        assertThat(rot.details().get("file")).endsWith("/" + sst.getFileName());
        assertThat(rot.message())
                .contains("storage checksum failure in ", sst.getFileName().toString(), "after key ");
    }

    /**
     * Replaces the group with one writing a million keys: a lost key is (all but certainly) not written again, which
     * would heal the loss.
     */
    private void sparseGroup() throws IOException {
        group.close();
        group = ReplicationGroup.builder(dir.resolve("sparse"), Clock.systemUTC())
                .clock(clock)
                .recordsPerSegment(100)
                .keySpace(1_000_000)
                .build();
    }

    @Test
    void aReportWithASketchReleasesItsCheckpointAtOnceAndItsSketchNamesTheLostKey() throws Exception {
        sparseGroup();
        group.diverge("r2", 41, Divergence.DROP_FROM_STORE);
        group.write(600);
        byte[] lostKey = group.history().get(40).key();
        ScrubConfig releasing =
                new ScrubConfig(0, Optional.empty(), Optional.empty(), Duration.ofHours(24), DigestAlgorithm.XXH128, 8);
        SimulatedReplica r2 = group.replica("r2");

        ScrubReport report = new Scrubber(
                        new Repository(store),
                        new NodeConfig(r2.id(), List.of(r2.root())),
                        releasing,
                        new RocksDbReplicaSource(dir.resolve("work-r2/scratch")),
                        dir.resolve("work-r2"),
                        alerts,
                        clock)
                .scrub(Optional.empty())
                .getFirst()
                .report()
                .orElseThrow();

        assertThat(Path.of(report.checkpoint()))
                .as("released: the sketch names keys")
                .doesNotExist();
        SketchRead published =
                new Repository(store).readScrubSketch(report.partition(), new ReportAt(report.appliedLsn(), r2.id()));
        assertThat(published.problem()).isEmpty();
        StateAccumulator oracle =
                StateAccumulator.create(releasing.algorithm(), releasing.bucketBits(), releasing.sketchShape());
        group.stateAt(report.appliedLsn()).forEach((k, v) -> oracle.add(k.getBytes(StandardCharsets.UTF_8), v));
        SketchDecoding decoding = oracle.sketch()
                .orElseThrow()
                .minus(published.sketch().orElseThrow())
                .decode();
        assertThat(decoding).isInstanceOfSatisfying(SketchDecoding.Decoded.class, d -> {
            assertThat(d.items()).isBetween(1, 2); // a dropped new key, or a dropped overwrite (old value kept)
            assertThat(d.onlyInA())
                    .singleElement()
                    .satisfies(item -> assertThat(item.keyPrefix()).isEqualTo(lostKey));
        });
    }

    @Test
    void aLostWriteChangesTheDigestAndTheDrillDownNamesTheKey() throws Exception {
        sparseGroup();
        group.diverge("r3", 777, Divergence.DROP_FROM_STORE);
        group.write(1_000);
        byte[] lostKey = group.history().get(776).key();
        assertThat(group.history().subList(777, 1_000))
                .as("the lost key is not rewritten later")
                .noneMatch(r -> Arrays.equals(r.key(), lostKey));

        ScrubReport r3 = scrubberFor(group.replica("r3"))
                .scrub(Optional.empty())
                .getFirst()
                .report()
                .orElseThrow();
        Digest replica = published(r3);
        Digest reference = oracle(r3.appliedLsn());
        assertThat(replica).isNotEqualTo(reference);
        List<Integer> buckets = reference.differingBuckets(replica);
        assertThat(buckets).containsExactly(new ItemHasher(config.algorithm(), config.bucketBits()).bucket(lostKey));

        ItemHasher hasher = new ItemHasher(config.algorithm(), config.bucketBits());
        List<KeyHash> referenceSide = keyHashes(group.stateAt(r3.appliedLsn()), buckets, hasher);
        List<KeyHash> replicaSide = new ArrayList<>();
        try (ReplicaView view = new RocksDbReplicaSource(dir.resolve("scratch")).open(Path.of(r3.checkpoint()))) {
            long[] hash = new long[2];
            view.scan(item -> {
                if (buckets.contains(hasher.bucket(item.key()))) {
                    hasher.hash(item.key(), item.value(), hash);
                    replicaSide.add(new KeyHash(item.key(), hash[0], hash[1]));
                }
            });
        }
        DrillDown.Result result = DrillDown.compare(referenceSide.iterator(), replicaSide.iterator(), 100);
        assertThat(result.differences()).singleElement().satisfies(d -> {
            assertThat(d.key()).isEqualTo(lostKey);
            // A put of a new key that was dropped is missing on the replica; a dropped overwrite leaves the old value.
            assertThat(d.kind()).isIn(KeyDifference.Kind.ONLY_ON_A, KeyDifference.Kind.DIFFERENT_VALUE);
        });
    }

    @Test
    void anInterruptedScanLeavesNoCheckpointBehindAndPublishedOnesExpire() throws Exception {
        group.write(300);
        SimulatedReplica replica = group.replica("r1");
        Path stray = Files.createDirectories(dir.resolve("work-r1/checkpoints/p-0001/r1-12345"));
        Files.writeString(stray.resolve("000012.sst"), "half a checkpoint");

        ScrubReport report =
                scrubberFor(replica).scrub(Optional.empty()).getFirst().report().orElseThrow();

        assertThat(stray).doesNotExist();
        assertThat(Path.of(report.checkpoint())).isDirectory();
        clock.advance(Duration.ofHours(25));
        Files.setLastModifiedTime(
                Path.of(report.checkpoint(), Scrubber.PUBLISHED),
                FileTime.from(clock.instant().minus(Duration.ofHours(25))));
        scrubberFor(replica).removeStaleCheckpoints();
        assertThat(Path.of(report.checkpoint())).doesNotExist();
    }

    @Test
    void aReplicaWithoutTheAppliedLsnKeyIsRefusedNamingTheContractAndLeavesNoCheckpoint() throws Exception {
        Path root = dir.resolve("foreign-node");
        Path replicaDir = Files.createDirectories(root.resolve("partitions/p-0042/replica"));
        RocksDB.loadLibrary();
        try (Options options = new Options().setCreateIfMissing(true);
                RocksDB db = RocksDB.open(options, replicaDir.toString())) {
            db.put("k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8));
        }
        Scrubber scrubber = new Scrubber(
                new Repository(store),
                new NodeConfig(ReplicaId.of("n1"), List.of(root)),
                config,
                new RocksDbReplicaSource(dir.resolve("scratch")),
                dir.resolve("work-n1"),
                alerts,
                clock);

        ScrubOutcome outcome = scrubber.scrub(Optional.empty()).getFirst();

        assertThat(outcome.report()).isEmpty();
        assertThat(outcome.error())
                .get()
                .asString()
                .contains(replicaDir.toString(), "has no applied-LSN key", "does not follow the storage-node contract");
        try (Stream<Path> left = Files.list(dir.resolve("work-n1/checkpoints/p-0042"))) {
            assertThat(left).isEmpty();
        }
        assertThat(store.list("partitions/p-0042/", Optional.empty(), 10).objects())
                .isEmpty();
    }

    private static List<KeyHash> keyHashes(Map<String, byte[]> state, List<Integer> buckets, ItemHasher hasher) {
        List<KeyHash> list = new ArrayList<>();
        long[] hash = new long[2];
        state.forEach((k, v) -> {
            byte[] key = k.getBytes(StandardCharsets.UTF_8);
            if (buckets.contains(hasher.bucket(key))) {
                hasher.hash(key, v, hash);
                list.add(new KeyHash(key, hash[0], hash[1]));
            }
        });
        list.sort(Comparator.naturalOrder());
        return list;
    }

    private static Path largestSst(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".sst"))
                    .max(Comparator.comparingLong(p -> p.toFile().length()))
                    .orElseThrow(() -> new AssertionError("no SST in " + dir));
        }
    }
}
