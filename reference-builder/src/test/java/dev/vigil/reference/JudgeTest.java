package dev.vigil.reference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.LsnRange;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.AlertPublisher;
import dev.vigil.core.alert.AlertType;
import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.config.NodeConfig;
import dev.vigil.core.config.ScrubConfig;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.digest.ItemHasher;
import dev.vigil.core.digest.KeyHash;
import dev.vigil.core.repository.ReplicaKeySource;
import dev.vigil.core.repository.ReportAt;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.repository.ScrubReport;
import dev.vigil.core.repository.Verdict;
import dev.vigil.core.sketch.SketchShape;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectNotFoundException;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.PutRequest;
import dev.vigil.core.wal.FsyncPolicy;
import dev.vigil.core.wal.Op;
import dev.vigil.core.wal.SealedSegment;
import dev.vigil.core.wal.SegmentReader;
import dev.vigil.core.wal.SegmentWriter;
import dev.vigil.core.wal.WalRecord;
import dev.vigil.demo.node.Divergence;
import dev.vigil.demo.node.ReplicationGroup;
import dev.vigil.demo.node.SimulatedReplica;
import dev.vigil.replay.ReferenceBuilder;
import dev.vigil.replay.snapshot.Snapshots;
import dev.vigil.scrubber.RetainedCheckpoints;
import dev.vigil.scrubber.RocksDbReplicaSource;
import dev.vigil.scrubber.ScrubOutcome;
import dev.vigil.scrubber.Scrubber;
import dev.vigil.testkit.alert.RecordingAlerts;
import dev.vigil.testkit.store.ForwardingObjectStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JudgeTest {

    @TempDir
    Path dir;

    private final Clock clock = Clock.systemUTC();
    private final RecordingAlerts alerts = new RecordingAlerts();
    private ReplicationGroup group;
    private ObjectStore store;
    private RocksDbReplicaSource source;

    @BeforeEach
    void setUp() throws Exception {
        // A million keys: a dropped or altered write is not healed by a later write of the same key.
        group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                .recordsPerSegment(100)
                .keySpace(1_000_000)
                .build();
        store = ObjectStores.localDirectory(dir.resolve("repo"), clock);
        source = new RocksDbReplicaSource(dir.resolve("scratch"));
    }

    @AfterEach
    void tearDown() throws Exception {
        store.close();
        group.close();
    }

    /** Writes, seals, archives (first replica's copies), and scrubs every replica. */
    private void cycle(int records) throws IOException {
        group.write(records);
        group.sealAll();
        group.replica("r1").storeSealedSegments(store);
        scrubAll(ScrubConfig.defaults().sketchCapacity());
    }

    private void scrubAll(int sketchCapacity) throws IOException {
        for (SimulatedReplica replica : group.replicas()) {
            List<ScrubOutcome> outcomes = new Scrubber(
                            new Repository(store),
                            new NodeConfig(replica.id(), List.of(replica.root())),
                            new ScrubConfig(
                                    0,
                                    Optional.empty(),
                                    Optional.empty(),
                                    Duration.ofHours(1),
                                    DigestAlgorithm.XXH128,
                                    8,
                                    sketchCapacity,
                                    false),
                            source,
                            dir.resolve("work-" + replica.id()),
                            alerts,
                            clock)
                    .scrub(Optional.empty());
            assertThat(outcomes)
                    .allSatisfy(o -> assertThat(o.report()).as("%s", o).isPresent());
        }
    }

    /** A judge on another machine: the replicas' retained checkpoints are out of its reach. */
    private Judge judgeElsewhere() {
        return new Judge(
                new Repository(store), dir.resolve("elsewhere"), unreachable(), Optional.empty(), alerts, clock);
    }

    /** What a machine that is not the node reaches of the replicas' retained checkpoints: nothing. */
    private static ReplicaKeySource unreachable() {
        return new ReplicaKeySource() {
            @Override
            public Optional<List<KeyHash>> keyHashes(ScrubReport report, Set<Integer> buckets, ItemHasher hasher) {
                return Optional.empty();
            }

            @Override
            public void release(ScrubReport report) {}
        };
    }

    @Test
    void aJudgeWithoutTheCheckpointsNamesALostWriteAnAlteredValueAndPhantomKeysOfAnyLengthFromTheSketches()
            throws Exception {
        group.diverge("r2", 41, Divergence.DROP_FROM_STORE);
        group.diverge("r2", 97, Divergence.ALTER_IN_STORE);
        group.write(250);
        group.sealAll();
        group.replica("r1").storeSealedSegments(store);
        // Longer than the sketch's cells carry whole, and only on the replica: no reference can supply them.
        String phantom = "phantom-" + "x".repeat(40);
        String huge = "huge/" + "0123456789abcdef".repeat(256).substring(5);
        assertThat(phantom).hasSize(48);
        assertThat(huge).hasSize(4096);
        group.replica("r2").db().put(phantom.getBytes(StandardCharsets.UTF_8), "boo".getBytes(StandardCharsets.UTF_8));
        group.replica("r2").db().put(huge.getBytes(StandardCharsets.UTF_8), "big".getBytes(StandardCharsets.UTF_8));
        scrubAll(ScrubConfig.defaults().sketchCapacity());
        String lost = new String(group.history().get(40).key(), StandardCharsets.UTF_8);
        String altered = new String(group.history().get(96).key(), StandardCharsets.UTF_8);

        Judge.Outcome outcome = judgeElsewhere().judge(group.partition());

        Verdict r2 = verdictOf(outcome, "r2");
        assertThat(r2.status()).isEqualTo(Verdict.Status.REPLICA_DIVERGED);
        assertThat(r2.localised()).isTrue();
        assertThat(r2.localisation()).isEqualTo(Verdict.BY_SKETCH);
        assertThat(r2.totalDifferences()).isEqualTo(4);
        assertThat(r2.differences())
                .containsExactlyInAnyOrder(
                        new Verdict.Difference(lost, Verdict.Difference.Kind.MISSING_ON_REPLICA),
                        new Verdict.Difference(altered, Verdict.Difference.Kind.DIFFERENT_VALUE),
                        new Verdict.Difference(phantom, Verdict.Difference.Kind.EXTRA_ON_REPLICA),
                        new Verdict.Difference(huge, Verdict.Difference.Kind.EXTRA_ON_REPLICA));
        assertThat(verdictOf(outcome, "r1").status()).isEqualTo(Verdict.Status.CLEAN);
        assertThat(verdictOf(outcome, "r3").status()).isEqualTo(Verdict.Status.CLEAN);
        assertThat(alerts.ofType(AlertType.REPLICA_DIVERGED).getFirst().message())
                .contains(lost + " missing on replica", altered + " different value");
    }

    /**
     * A fleet's judge on another machine, keeping checkpoints every few segments in {@code workDir}, whose reads of
     * archived segments are recorded in {@code segmentsRead}.
     */
    private Judge fleetJudgeElsewhere(Path workDir, List<String> segmentsRead) {
        ObjectStore recording = new ForwardingObjectStore(store) {
            @Override
            public ObjectStream get(String key) throws IOException {
                if (RepositoryLayout.parseWalKey(key).isPresent()) {
                    segmentsRead.add(key);
                }
                return super.get(key);
            }
        };
        Repository repository = new Repository(recording);
        ReferenceBuilder builder = new ReferenceBuilder(
                        repository,
                        Optional.of(new Snapshots(repository, workDir.resolve("scratch"), clock, 2)),
                        1,
                        bad -> {
                            throw new AssertionError(bad);
                        })
                .withSnapshotsByTask();
        return new Judge(repository, workDir, unreachable(), Optional.empty(), alerts, clock, builder);
    }

    @Test
    void aWorkerWithNoPreviousStateResumesFromTheHashCheckpointAndNamesTheSameKeys() throws Exception {
        cycle(300);
        assertThat(fleetJudgeElsewhere(dir.resolve("first-worker"), new ArrayList<>())
                        .judge(group.partition())
                        .verdicts())
                .hasSize(3)
                .allSatisfy(v -> assertThat(v.status()).isEqualTo(Verdict.Status.CLEAN));
        group.diverge("r2", 341, Divergence.DROP_FROM_STORE);
        group.diverge("r2", 397, Divergence.ALTER_IN_STORE);
        cycle(200);
        String lost = new String(group.history().get(340).key(), StandardCharsets.UTF_8);
        String altered = new String(group.history().get(396).key(), StandardCharsets.UTF_8);

        List<String> read = new ArrayList<>();
        Judge.Outcome outcome =
                fleetJudgeElsewhere(dir.resolve("second-worker"), read).judge(group.partition());

        assertThat(read)
                .as("the second worker started from the checkpoint at LSN 300: no segment below it read")
                .isNotEmpty()
                .allSatisfy(key -> assertThat(RepositoryLayout.parseWalKey(key)
                                .orElseThrow()
                                .range()
                                .first())
                        .isGreaterThan(300));
        Verdict r2 = verdictOf(outcome, "r2");
        assertThat(r2.status()).isEqualTo(Verdict.Status.REPLICA_DIVERGED);
        assertThat(r2.localisation()).isEqualTo(Verdict.BY_SKETCH);
        assertThat(r2.differences())
                .containsExactlyInAnyOrder(
                        new Verdict.Difference(lost, Verdict.Difference.Kind.MISSING_ON_REPLICA),
                        new Verdict.Difference(altered, Verdict.Difference.Kind.DIFFERENT_VALUE));
        assertThat(verdictOf(outcome, "r1").status()).isEqualTo(Verdict.Status.CLEAN);
        assertThat(verdictOf(outcome, "r3").status()).isEqualTo(Verdict.Status.CLEAN);
        assertThat(outcome.referenceBytes().orElseThrow()).isPositive();
    }

    @Test
    void longPhantomKeysBeyondTheKeyTablesCapacityAreNamedByTheirFirstBytesAndTheVerdictSaysSo() throws Exception {
        group.write(150);
        group.sealAll();
        group.replica("r1").storeSealedSegments(store);
        List<String> huge = new ArrayList<>();
        for (int i = 0; i < 4; i++) { // 4 x 79 pieces of 52 bytes: more than the 256 pieces the key table names
            huge.add("huge-" + i + "/" + "z".repeat(4089)); // 4,096 bytes
            group.replica("r2").db().put(huge.getLast().getBytes(StandardCharsets.UTF_8), new byte[] {1});
        }
        scrubAll(ScrubConfig.defaults().sketchCapacity());

        Verdict r2 = verdictOf(judgeElsewhere().judge(group.partition()), "r2");

        assertThat(r2.localised()).isTrue();
        assertThat(r2.totalDifferences()).isEqualTo(4);
        assertThat(r2.localisation())
                .startsWith(Verdict.BY_SKETCH + " (some long keys by their first bytes only: more bytes of long keys"
                        + " differ than the sketch's key table decodes (256 pieces of 52 bytes)");
        assertThat(r2.differences())
                .extracting(Verdict.Difference::key)
                .allSatisfy(key -> assertThat(key).contains("… (4096 bytes, key hash "))
                .anySatisfy(key -> assertThat(key).startsWith(huge.getFirst().substring(0, 32)));
    }

    @Test
    void ninetyNineDifferencesBeyondTheSketchsCapacityAreCountedWithATrueLowerBound() throws Exception {
        group.write(150);
        group.sealAll();
        group.replica("r1").storeSealedSegments(store);
        for (int i = 0; i < 99; i++) {
            group.replica("r3").db().put(("phantom-" + i).getBytes(StandardCharsets.UTF_8), new byte[] {1});
        }
        scrubAll(SketchShape.MIN_CAPACITY); // 64 items, the smallest table

        Verdict r3 = verdictOf(judgeElsewhere().judge(group.partition()), "r3");

        assertThat(r3.status()).isEqualTo(Verdict.Status.REPLICA_DIVERGED);
        assertThat(r3.localised()).isFalse();
        assertThat(r3.differences()).isEmpty();
        // Only extra keys: every differing bucket's count changed by exactly its differing keys, so the bound is exact.
        assertThat(r3.differingKeysAtLeast()).isEqualTo(99);
        assertThat(r3.differingKeysEstimate()).isGreaterThanOrEqualTo(99).isLessThan(200);
        assertThat(r3.unlocalisedBuckets()).hasSize(r3.differingBuckets()).isNotEmpty();
        assertThat(r3.localisation())
                .startsWith("at least 99 key(s) differ (counted from the digest's buckets; about "
                        + r3.differingKeysEstimate() + " by how many buckets differ, an estimate), more than the"
                        + " sketch can name: its capacity is 64 differing items");
        assertThat(alerts.ofType(AlertType.REPLICA_DIVERGED).getFirst().message())
                .contains("at least 99 key(s) (about " + r3.differingKeysEstimate() + ", an estimate); keys not"
                        + " localised");
    }

    @Test
    void aThousandDifferencesOfEveryKindBeyondCapacityGiveABoundThatIsTrueAndAboveTheCapacity() throws Exception {
        group.write(900);
        group.sealAll();
        group.replica("r1").storeSealedSegments(store);
        // Up to 300 keys deleted, 300 values altered and 400 keys added: at most 1,000 differing keys.
        Set<String> touched = new HashSet<>();
        int deleted = 0;
        int altered = 0;
        for (WalRecord record : group.history()) {
            if (record.op() != Op.PUT || !touched.add(new String(record.key(), StandardCharsets.UTF_8))) {
                continue;
            }
            if (deleted < 300) {
                group.replica("r3").db().delete(record.key());
                deleted++;
            } else if (altered < 300) {
                group.replica("r3").db().put(record.key(), "altered".getBytes(StandardCharsets.UTF_8));
                altered++;
            }
        }
        assertThat(deleted + altered).isEqualTo(600);
        for (int i = 0; i < 400; i++) {
            group.replica("r3").db().put(("phantom-" + i).getBytes(StandardCharsets.UTF_8), new byte[] {1});
        }
        scrubAll(SketchShape.MIN_CAPACITY);

        Verdict r3 = verdictOf(judgeElsewhere().judge(group.partition()), "r3");

        assertThat(r3.localised()).isFalse();
        assertThat(r3.differingKeysAtLeast()).isGreaterThan(64).isLessThanOrEqualTo(1000);
        assertThat(r3.differingKeysEstimate()).isGreaterThanOrEqualTo(r3.differingKeysAtLeast());
        assertThat(r3.localisation()).startsWith("at least " + r3.differingKeysAtLeast() + " key(s) differ");
    }

    @Test
    void aJudgeThatDiesRightAfterStoringAVerdictLosesNoAlertTheNextJudgeRaisesItAndEmptiesTheOutbox() throws Exception {
        group.diverge("r2", 41, Divergence.DROP_FROM_STORE);
        group.write(150);
        group.sealAll();
        group.replica("r1").storeSealedSegments(store);
        scrubAll(ScrubConfig.defaults().sketchCapacity());
        Repository repository = new Repository(store);
        ReportAt r2 = new ReportAt(150, ReplicaId.of("r2"));
        // The process dies the moment it hands the alert over: the verdict is stored, the alert never leaves.
        AlertPublisher dying = alert -> {
            throw new IllegalStateException("killed right after storing the verdict");
        };
        Judge doomed = new Judge(
                new Repository(store),
                dir.resolve("doomed"),
                new RetainedCheckpoints(source),
                Optional.empty(),
                dying,
                clock);

        Assertions.assertThatThrownBy(() -> doomed.judge(group.partition())).hasMessageContaining("killed");

        assertThat(repository.readVerdict(group.partition(), r2))
                .hasValueSatisfying(v -> assertThat(v.status()).isEqualTo(Verdict.Status.REPLICA_DIVERGED));
        assertThat(repository.pendingAlerts(group.partition())).containsOnlyKeys(r2);
        assertThat(alerts.all()).isEmpty();

        Judge.Outcome next = judgeElsewhere().judge(group.partition());

        assertThat(next.verdicts())
                .extracting(Verdict::replica)
                .containsExactly(ReplicaId.of("r3")); // r2's was stored already
        assertThat(alerts.ofType(AlertType.REPLICA_DIVERGED)).singleElement().satisfies(alert -> {
            assertThat(alert.key()).isEqualTo("REPLICA_DIVERGED|" + group.partition() + "|r2");
            assertThat(alert.details())
                    .containsEntry("verdict", RepositoryLayout.verdictKey(group.partition(), 150, ReplicaId.of("r2")));
            assertThat(alert.message()).contains("at LSN 150", "missing on replica");
        });
        assertThat(repository.pendingAlerts(group.partition())).isEmpty();

        judgeElsewhere().judge(group.partition());
        assertThat(alerts.ofType(AlertType.REPLICA_DIVERGED)).hasSize(1); // delivered once: not raised again
    }

    @Test
    void anAlertNoSinkConfirmedStaysInTheOutboxUntilAJudgeDeliversIt() throws Exception {
        group.diverge("r3", 12, Divergence.ALTER_IN_STORE);
        group.write(150);
        group.sealAll();
        group.replica("r1").storeSealedSegments(store);
        scrubAll(ScrubConfig.defaults().sketchCapacity());
        Repository repository = new Repository(store);
        List<Alert> tried = new java.util.concurrent.CopyOnWriteArrayList<>();
        AlertPublisher refused = new AlertPublisher() {
            @Override
            public void raise(Alert alert) {
                tried.add(alert);
            }

            @Override
            public java.util.concurrent.CompletableFuture<Boolean> raiseDelivered(Alert alert) {
                raise(alert);
                return java.util.concurrent.CompletableFuture.completedFuture(false); // every sink failed
            }
        };
        new Judge(
                        new Repository(store),
                        dir.resolve("a"),
                        new RetainedCheckpoints(source),
                        Optional.empty(),
                        refused,
                        clock)
                .judge(group.partition());
        assertThat(tried).extracting(Alert::type).containsExactly(AlertType.REPLICA_DIVERGED);
        assertThat(repository.pendingAlerts(group.partition())).containsOnlyKeys(new ReportAt(150, ReplicaId.of("r3")));

        new Judge(
                        new Repository(store),
                        dir.resolve("a"),
                        new RetainedCheckpoints(source),
                        Optional.empty(),
                        refused,
                        clock)
                .judge(group.partition());
        assertThat(tried).extracting(Alert::type).hasSize(2); // tried again
        assertThat(repository.pendingAlerts(group.partition())).hasSize(1);

        judgeElsewhere().judge(group.partition());
        assertThat(alerts.ofType(AlertType.REPLICA_DIVERGED)).hasSize(1);
        assertThat(repository.pendingAlerts(group.partition())).isEmpty();
    }

    @Test
    void aDamagedSketchIsNotUsedAndTheVerdictNamesItsObject() throws Exception {
        group.diverge("r2", 41, Divergence.DROP_FROM_STORE);
        group.write(150);
        group.sealAll();
        group.replica("r1").storeSealedSegments(store);
        scrubAll(ScrubConfig.defaults().sketchCapacity());
        String sketchKey = RepositoryLayout.scrubKey(
                group.partition(), 150, group.replica("r2").id(), "sketch");
        byte[] bytes;
        try (ObjectStream in = store.get(sketchKey)) {
            bytes = in.readAllBytes();
        }
        bytes[bytes.length / 2] ^= 0x04; // stored again with a matching store checksum: only the sketch's CRC sees it
        store.put(PutRequest.overwrite(
                sketchKey, ObjectBody.ofBytes(bytes), Checksum.of(ChecksumAlgorithm.CRC32C, bytes), Map.of()));

        Verdict r2 = verdictOf(judgeElsewhere().judge(group.partition()), "r2");

        assertThat(r2.status()).isEqualTo(Verdict.Status.REPLICA_DIVERGED);
        assertThat(r2.localised()).isFalse();
        assertThat(r2.differences()).isEmpty();
        assertThat(r2.localisation())
                .startsWith("the report's sketch is damaged (" + store.locate(sketchKey)
                        + ": sketch checksum mismatch: the sketch is damaged)")
                .endsWith("and the replica's retained state is not reachable from this machine");
    }

    @Test
    void reportsWithoutASketchAreStillJudgedAndSayWhyKeysAreNotNamed() throws Exception {
        group.diverge("r2", 41, Divergence.DROP_FROM_STORE);
        group.write(150);
        group.sealAll();
        group.replica("r1").storeSealedSegments(store);
        scrubAll(0);

        Verdict r2 = verdictOf(judgeElsewhere().judge(group.partition()), "r2");

        assertThat(r2.status()).isEqualTo(Verdict.Status.REPLICA_DIVERGED);
        assertThat(r2.localised()).isFalse();
        assertThat(r2.differingBuckets()).isEqualTo(1);
        assertThat(r2.unlocalisedBuckets())
                .containsExactly(new ItemHasher(DigestAlgorithm.XXH128, 8)
                        .bucket(group.history().get(40).key()));
        assertThat(r2.localisation())
                .isEqualTo("the report carries no sketch, and the replica's retained state is not reachable from"
                        + " this machine");
    }

    private Judge judge() {
        return new Judge(
                new Repository(store),
                dir.resolve("judge"),
                new RetainedCheckpoints(source),
                Optional.empty(),
                alerts,
                clock);
    }

    private static Verdict verdictOf(Judge.Outcome outcome, String replica) {
        return outcome.verdicts().stream()
                .filter(v -> v.replica().value().equals(replica))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aCleanGroupYieldsOnlyCleanVerdictsOverManyCycles() throws Exception {
        List<Verdict> all = new ArrayList<>();
        for (int cycle = 0; cycle < 4; cycle++) {
            cycle(150 + 37 * cycle);
            Judge.Outcome outcome = judge().judge(group.partition());
            assertThat(outcome.stoppedAt()).isEmpty();
            assertThat(outcome.verdicts()).hasSize(3);
            all.addAll(outcome.verdicts());
        }
        assertThat(all).hasSize(12).allSatisfy(v -> assertThat(v.status()).isEqualTo(Verdict.Status.CLEAN));
        assertThat(all.getLast().lsn()).isEqualTo(150 + 187 + 224 + 261);
        assertThat(store.head(RepositoryLayout.verdictKey(
                                group.partition(),
                                all.getLast().lsn(),
                                group.replica("r2").id()))
                        .metadata())
                .containsEntry("status", "CLEAN");
        assertThat(alerts.all()).isEmpty();
        assertThat(judge().judge(group.partition()).verdicts())
                .as("nothing left to judge")
                .isEmpty();
    }

    @Test
    void aReplicaThatLostAWriteIsNamedWithTheMissingKey() throws Exception {
        group.diverge("r2", 173, Divergence.DROP_FROM_STORE);
        cycle(300);
        String lostKey = new String(group.history().get(172).key(), StandardCharsets.UTF_8);

        Judge.Outcome outcome = judge().judge(group.partition());

        Verdict r2 = verdictOf(outcome, "r2");
        assertThat(r2.status()).isEqualTo(Verdict.Status.REPLICA_DIVERGED);
        assertThat(r2.localised()).isTrue();
        assertThat(r2.totalDifferences()).isEqualTo(1);
        assertThat(r2.differences())
                .containsExactly(new Verdict.Difference(lostKey, Verdict.Difference.Kind.MISSING_ON_REPLICA));
        assertThat(verdictOf(outcome, "r1").status()).isEqualTo(Verdict.Status.CLEAN);
        assertThat(verdictOf(outcome, "r3").status()).isEqualTo(Verdict.Status.CLEAN);
        Alert alert = alerts.ofType(AlertType.REPLICA_DIVERGED).getFirst();
        assertThat(alert.replica()).contains(group.replica("r2").id());
        assertThat(alert.lsnRange()).contains(new LsnRange(300, 300));
        assertThat(alert.message()).contains("replica r2 differs from the reference", lostKey + " missing on replica");
        assertThat(Path.of(dir.toString(), "work-r2", "checkpoints", "p-0001"))
                .as("checkpoints released once judged")
                .isEmptyDirectory();
    }

    @Test
    void eachNodeJudgesOnlyItsOwnReplicaAgainstAllPeers() throws Exception {
        group.diverge("r2", 61, Divergence.DROP_FROM_STORE);
        cycle(200);

        Judge.Outcome onR1 = new Judge(
                        new Repository(store),
                        dir.resolve("judge-r1"),
                        new RetainedCheckpoints(source),
                        Optional.of(group.replica("r1").id()),
                        alerts,
                        clock)
                .judge(group.partition());
        Judge.Outcome onR2 = new Judge(
                        new Repository(store),
                        dir.resolve("judge-r2"),
                        new RetainedCheckpoints(source),
                        Optional.of(group.replica("r2").id()),
                        alerts,
                        clock)
                .judge(group.partition());

        assertThat(onR1.verdicts()).singleElement().satisfies(v -> {
            assertThat(v.replica()).isEqualTo(ReplicaId.of("r1"));
            assertThat(v.status()).isEqualTo(Verdict.Status.CLEAN);
        });
        // r1's report is judged already, but its digest still votes when r2 is judged.
        assertThat(onR2.verdicts()).singleElement().satisfies(v -> {
            assertThat(v.replica()).isEqualTo(ReplicaId.of("r2"));
            assertThat(v.status()).isEqualTo(Verdict.Status.REPLICA_DIVERGED);
            assertThat(v.peerRoots()).containsOnlyKeys("r1", "r3");
            assertThat(v.localised()).isTrue();
        });
        Assertions.assertThatThrownBy(() -> store.head(RepositoryLayout.verdictKey(
                        group.partition(), 200, group.replica("r3").id())))
                .as("nobody judged r3 for its node")
                .isInstanceOf(ObjectNotFoundException.class);
    }

    @Test
    void anAlteredValueIsNamedAsADifferentValue() throws Exception {
        group.diverge("r3", 88, Divergence.ALTER_IN_STORE);
        cycle(200);
        String alteredKey = new String(group.history().get(87).key(), StandardCharsets.UTF_8);

        Verdict r3 = verdictOf(judge().judge(group.partition()), "r3");

        assertThat(r3.status()).isEqualTo(Verdict.Status.REPLICA_DIVERGED);
        assertThat(r3.differences())
                .containsExactly(new Verdict.Difference(alteredKey, Verdict.Difference.Kind.DIFFERENT_VALUE));
    }

    @Test
    void anArchivedSegmentRewrittenConsistentlyNamesTheArchiveNotTheReplicas() throws Exception {
        cycle(300);
        // Rewrite 101..200 with one value changed: valid CRCs and seal, stored with a matching checksum.
        String key = RepositoryLayout.walKey(group.partition(), new LsnRange(101, 200));
        Path forged = Files.createDirectories(dir.resolve("forged"));
        List<WalRecord> records = new ArrayList<>();
        try (SegmentReader reader =
                SegmentReader.open(group.replica("r1").sealedSegments().get(1).path())) {
            while (reader.hasNext()) {
                records.add(reader.next());
            }
        }
        WalRecord victim =
                records.stream().filter(r -> r.op() == Op.PUT).findFirst().orElseThrow();
        SealedSegment rewritten;
        try (SegmentWriter writer = SegmentWriter.create(forged, group.partition(), 101, clock, FsyncPolicy.ON_SYNC)) {
            for (WalRecord r : records) {
                writer.append(
                        r.lsn() == victim.lsn()
                                ? WalRecord.put(
                                        r.lsn(),
                                        r.timestampMillis(),
                                        r.key(),
                                        "forged".getBytes(StandardCharsets.UTF_8))
                                : r);
            }
            rewritten = writer.seal();
        }
        store.put(PutRequest.overwrite(
                key, ObjectBody.ofFile(rewritten.path()), rewritten.summary().checksum(), Map.of()));

        Judge.Outcome outcome = judge().judge(group.partition());

        assertThat(outcome.verdicts()).hasSize(3).allSatisfy(v -> {
            assertThat(v.status()).isEqualTo(Verdict.Status.ARCHIVE_DIVERGED);
            assertThat(v.differences())
                    .containsExactly(new Verdict.Difference(
                            new String(victim.key(), StandardCharsets.UTF_8), Verdict.Difference.Kind.DIFFERENT_VALUE));
        });
        assertThat(alerts.ofType(AlertType.ARCHIVE_DIVERGED))
                .hasSize(3)
                .first()
                .satisfies(a -> assertThat(a.message())
                        .contains("every replica agrees, but the reference built from the archive differs"));
        assertThat(alerts.ofType(AlertType.REPLICA_DIVERGED)).isEmpty();
    }

    @Test
    void aGapInTheArchiveStopsTheReferenceAndNamesTheMissingLsns() throws Exception {
        cycle(400);
        store.delete(RepositoryLayout.walKey(group.partition(), new LsnRange(201, 300)));

        Judge.Outcome outcome = judge().judge(group.partition());

        assertThat(outcome.verdicts()).isEmpty();
        assertThat(outcome.stoppedAt())
                .get()
                .asString()
                .contains(
                        "the reference stopped at LSN 200",
                        "LSNs [201..300] are not in the archive (it resumes at 301)");
        assertThat(judge().judge(group.partition()).stoppedAt())
                .as("the reports stay pending")
                .isPresent();
    }
}
