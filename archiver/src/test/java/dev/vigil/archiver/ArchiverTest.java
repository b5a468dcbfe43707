package dev.vigil.archiver;

import static dev.vigil.archiver.ArchiverFixture.archiver;
import static dev.vigil.archiver.ArchiverFixture.keys;
import static dev.vigil.archiver.ArchiverFixture.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.LsnRange;
import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.AlertType;
import dev.vigil.core.config.ArchiveConfig;
import dev.vigil.core.node.ArchivedLsnFile;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.store.ObjectInfo;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.store.S3Settings;
import dev.vigil.core.wal.SealedSegment;
import dev.vigil.demo.node.Divergence;
import dev.vigil.demo.node.ReplicationGroup;
import dev.vigil.demo.node.SimulatedReplica;
import dev.vigil.store.s3.S3Stores;
import dev.vigil.testkit.alert.RecordingAlerts;
import dev.vigil.testkit.store.ForwardingObjectStore;
import dev.vigil.testkit.time.MutableClock;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;

class ArchiverTest {

    @TempDir
    Path dir;

    // Starts at the real time: a local repository's modification times are the file system's.
    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final RecordingAlerts alerts = new RecordingAlerts();
    private ObjectStore store;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void repository() throws Exception {
        store = ObjectStores.localDirectory(dir.resolve("repository"), clock);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : closing.reversed()) {
            closeable.close();
        }
        store.close();
    }

    private ReplicationGroup group(int records) throws Exception {
        ReplicationGroup group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                .clock(clock)
                .recordsPerSegment(100)
                .build();
        closing.add(group);
        group.write(records);
        return group;
    }

    private Archiver archiverFor(SimulatedReplica replica) {
        Archiver archiver = archiver(replica, store, alerts, clock, ArchiveConfig.defaults());
        closing.add(archiver);
        return archiver;
    }

    @Test
    void threeReplicasArchivingConcurrentlyStoreEverySegmentExactlyOnce() throws Exception {
        ReplicationGroup group = group(1_000);
        List<Archiver> archivers =
                group.replicas().stream().map(this::archiverFor).toList();
        ExecutorService pool = Executors.newFixedThreadPool(
                3, Thread.ofPlatform().name("test-replica-", 0).factory());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<ArchiveReport>> results = new ArrayList<>();
            for (Archiver archiver : archivers) {
                results.add(pool.submit(() -> {
                    start.await();
                    return archiver.runPass();
                }));
            }
            start.countDown();
            int uploaded = 0;
            for (Future<ArchiveReport> result : results) {
                ArchiveReport report = result.get(60, TimeUnit.SECONDS);
                assertThat(report.hasErrors()).as("%s", report).isFalse();
                assertThat(report.hasFindings()).as("%s", report).isFalse();
                PartitionReport partition = report.partitions().getFirst();
                assertThat(partition.uploaded() + partition.alreadyArchived()).isEqualTo(10);
                assertThat(partition.archivedLsn()).isEqualTo(1_000);
                uploaded += partition.uploaded();
            }
            assertThat(uploaded)
                    .as("each segment uploaded by exactly one replica")
                    .isEqualTo(10);
        } finally {
            pool.shutdownNow();
        }

        List<String> archived = ArchiverFixture.walKeys(store, null, "p-0001");
        assertThat(archived).hasSize(10);
        for (SimulatedReplica replica : group.replicas()) {
            for (SealedSegment segment : replica.sealedSegments()) {
                String key = RepositoryLayout.walKey(
                        group.partition(), segment.summary().lsnRange());
                assertThat(read(store, key))
                        .as("%s of %s", key, replica.id())
                        .isEqualTo(Files.readAllBytes(segment.path()));
            }
            assertThat(ArchivedLsnFile.read(replica.walDir())).isEqualTo(OptionalLong.of(1_000));
        }
        assertThat(keys(store, "conflicts/")).isEmpty();
        assertThat(alerts.all()).isEmpty();
    }

    @Test
    void aSecondPassFindsNothingToDoAndAddsNothing() throws Exception {
        ReplicationGroup group = group(500);
        Archiver archiver = archiverFor(group.replica("r1"));
        archiver.runPass();
        List<String> before = keys(store, "");

        ArchiveReport again = archiver.runPass();

        assertThat(again.uploaded()).isZero();
        assertThat(keys(store, "")).isEqualTo(before);
        group.write(150);
        ArchiveReport more = archiver.runPass();
        assertThat(more.uploaded()).isEqualTo(1);
        assertThat(more.partitions().getFirst().archivedLsn()).isEqualTo(600);
    }

    @Test
    void aReplicaWhoseWalDiffersRaisesWalDivergenceAndKeepsItsCopyForForensics() throws Exception {
        ReplicationGroup group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                .clock(clock)
                .recordsPerSegment(100)
                .build();
        closing.add(group);
        group.diverge("r2", 150, Divergence.ALTER_IN_WAL);
        group.write(300);
        archiverFor(group.replica("r1")).runPass();

        ArchiveReport report = archiverFor(group.replica("r2")).runPass();

        PartitionReport partition = report.partitions().getFirst();
        assertThat(partition.diverged()).isEqualTo(1);
        assertThat(partition.alreadyArchived()).isEqualTo(2);
        assertThat(partition.findings()).containsExactly("WAL divergence at LSN [101..200] with replica r1");
        List<Alert> divergence = alerts.ofType(AlertType.WAL_DIVERGENCE);
        assertThat(divergence).hasSize(1);
        Alert alert = divergence.getFirst();
        assertThat(alert.partition()).contains(group.partition());
        assertThat(alert.replica()).contains(group.replica("r2").id());
        assertThat(alert.lsnRange()).contains(new LsnRange(101, 200));
        assertThat(alert.message()).contains("replica r2", "written by replica r1", "LSNs [101..200]");
        assertThat(alert.details()).containsEntry("otherReplica", "r1");

        String archivedKey = RepositoryLayout.walKey(group.partition(), new LsnRange(101, 200));
        String conflictKey = "conflicts/p-0001/00000000000000000101-00000000000000000200/r2.seg";
        assertThat(read(store, archivedKey))
                .isEqualTo(Files.readAllBytes(
                        group.replica("r1").sealedSegments().get(1).path()));
        assertThat(read(store, conflictKey))
                .isEqualTo(Files.readAllBytes(
                        group.replica("r2").sealedSegments().get(1).path()));
        assertThat(alert.details()).containsEntry("conflictKey", conflictKey);
    }

    @Test
    void aCorruptLocalSegmentIsNeverArchivedAndAPeerFillsTheGap() throws Exception {
        ReplicationGroup group = group(500);
        SealedSegment victim = group.replica("r1").sealedSegments().get(2);
        long offset = 5_000;
        flipByte(victim.path(), offset);

        ArchiveReport report = archiverFor(group.replica("r1")).runPass();

        PartitionReport partition = report.partitions().getFirst();
        assertThat(partition.corrupt()).isEqualTo(1);
        assertThat(partition.uploaded()).isEqualTo(4);
        assertThat(partition.archivedLsn())
                .as("archived.lsn stops before the hole")
                .isEqualTo(200);
        assertThat(ArchivedLsnFile.read(group.replica("r1").walDir())).isEqualTo(OptionalLong.of(200));
        assertThat(ArchiverFixture.walKeys(store, null, "p-0001"))
                .doesNotContain(RepositoryLayout.walKey(group.partition(), new LsnRange(201, 300)));
        Alert alert = alerts.ofType(AlertType.SEGMENT_CORRUPT).getFirst();
        assertThat(alert.message())
                .contains(victim.path().toString(), "corrupt at offset", "frame CRC mismatch", "it was not archived");
        assertThat(alert.lsnRange()).contains(new LsnRange(201, 300));
        assertThat(partition.delayedGaps())
                .as("the hole is pending: a local segment covers it")
                .containsExactly("[201..300]");
        assertThat(alerts.ofType(AlertType.ARCHIVE_GAP)).isEmpty();

        archiverFor(group.replica("r2")).runPass();
        ArchiveReport again = archiverFor(group.replica("r1")).runPass();
        assertThat(again.partitions().getFirst().archivedLsn()).isEqualTo(500);
        assertThat(again.partitions().getFirst().delayedGaps()).isEmpty();
    }

    @Test
    void aGapNoReplicaCanFillBecomesLostAfterTheGracePeriod() throws Exception {
        ReplicationGroup group = group(500);
        SimulatedReplica replica = group.replica("r1");
        Archiver archiver = archiverFor(replica);
        archiver.runPass();
        // The segment disappears from the repository, and the node already deleted its copy (archived.lsn allowed it).
        String lostKey = RepositoryLayout.walKey(group.partition(), new LsnRange(301, 400));
        store.delete(lostKey);
        Files.delete(replica.sealedSegments().get(3).path());

        clock.advance(ArchiveConfig.defaults().continuityCheckInterval());
        ArchiveReport withinGrace = archiver.runPass();
        assertThat(withinGrace.partitions().getFirst().delayedGaps()).containsExactly("[301..400]");
        assertThat(alerts.ofType(AlertType.ARCHIVE_GAP)).isEmpty();

        clock.advance(ArchiveConfig.defaults().gapGrace().plusMinutes(1));
        ArchiveReport after = archiver.runPass();

        assertThat(after.partitions().getFirst().lostGaps()).containsExactly("[301..400]");
        Alert gap = alerts.ofType(AlertType.ARCHIVE_GAP).getFirst();
        assertThat(gap.lsnRange()).contains(new LsnRange(301, 400));
        assertThat(gap.message())
                .contains("LSNs [301..400] are missing from the archive", "replica r1 holds no segment");
        assertThat(ArchivedLsnFile.read(replica.walDir())).as("never decreases").isEqualTo(OptionalLong.of(500));
    }

    @Test
    void aSegmentLostFromTheArchiveIsShippedAgainFromTheNodesCopy() throws Exception {
        ReplicationGroup group = group(500);
        SimulatedReplica replica = group.replica("r1");
        Archiver archiver = archiverFor(replica);
        archiver.runPass();
        String key = RepositoryLayout.walKey(group.partition(), new LsnRange(201, 300));
        store.delete(key);

        clock.advance(ArchiveConfig.defaults().continuityCheckInterval());
        ArchiveReport report = archiver.runPass();

        assertThat(report.partitions().getFirst().uploaded()).isEqualTo(1);
        assertThat(report.partitions().getFirst().delayedGaps()).isEmpty();
        assertThat(read(store, key))
                .isEqualTo(Files.readAllBytes(replica.sealedSegments().get(2).path()));
        assertThat(alerts.ofType(AlertType.ARCHIVE_GAP)).isEmpty();
    }

    @Test
    void segmentsWaitingLongerThanTheRpoRaiseArchiveLag() throws Exception {
        ReplicationGroup group = group(300);
        SimulatedReplica replica = group.replica("r1");
        ArchiveConfig settings = new ArchiveConfig(
                2,
                Duration.ofMinutes(5),
                Duration.ofMinutes(15),
                Duration.ofSeconds(1),
                Duration.ofSeconds(10),
                Duration.ofHours(1),
                Duration.ZERO);
        ObjectStore unreachable = S3Stores.open(
                S3Settings.defaults("vigil-nowhere", "").withEndpoint(URI.create("http://127.0.0.1:9"), true),
                AnonymousCredentialsProvider.create(),
                Clock.systemUTC());
        closing.add(unreachable);
        for (SealedSegment segment : replica.sealedSegments()) {
            Files.setLastModifiedTime(segment.path(), FileTime.from(clock.instant()));
        }
        clock.advance(Duration.ofMinutes(6));
        Archiver archiver = archiver(replica, unreachable, alerts, clock, settings);
        closing.add(archiver);

        ArchiveReport report = archiver.runPass();

        assertThat(report.hasErrors()).isTrue();
        PartitionReport partition = report.partitions().getFirst();
        assertThat(partition.lagSeconds()).isGreaterThanOrEqualTo(360);
        assertThat(partition.lagBytes()).isPositive();
        Alert lag = alerts.ofType(AlertType.ARCHIVE_LAG).getFirst();
        assertThat(lag.message())
                .contains("have waited 6m", "longer than the RPO of 5m;")
                .doesNotContain("PT");
        assertThat(partition.errors()).isNotEmpty();
    }

    @Test
    void aPartitionBackingOffAfterAFailureIsReportedAsNotArchivedOnEveryPassUntilItArchives() throws Exception {
        ReplicationGroup group = group(300);
        SimulatedReplica replica = group.replica("r1");
        ArchiveConfig settings = new ArchiveConfig(
                2,
                Duration.ofMinutes(5),
                Duration.ofMinutes(15),
                Duration.ofMinutes(1),
                Duration.ofMinutes(10),
                Duration.ofHours(1),
                Duration.ZERO);
        ObjectStore unreachable = S3Stores.open(
                S3Settings.defaults("vigil-nowhere", "").withEndpoint(URI.create("http://127.0.0.1:9"), true),
                AnonymousCredentialsProvider.create(),
                Clock.systemUTC());
        closing.add(unreachable);
        Archiver archiver = archiver(replica, unreachable, alerts, clock, settings);
        closing.add(archiver);

        ArchiveReport first = archiver.runPass();
        ArchiveReport backingOff = archiver.runPass();

        assertThat(first.hasErrors()).isTrue();
        assertThat(backingOff.hasErrors())
                .as("a pass that skipped a partition is not a success")
                .isTrue();
        PartitionReport partition = backingOff.partitions().getFirst();
        assertThat(partition.uploaded()).isZero();
        assertThat(partition.lagBytes())
                .as("its waiting segments are still its lag")
                .isPositive();
        assertThat(partition.errors())
                .singleElement()
                .asString()
                .startsWith("not archived: backing off after 1 failed attempt(s) since ")
                .contains("last error: ");
        assertThat(archiver.failingPartitions()).containsOnlyKeys("p-0001");
        assertThat(ArchivedLsnFile.read(replica.walDir())).isEmpty();
    }

    @Test
    void anUploadThatDoesNotReadBackAsWrittenIsNotCountedAndRaisesAnAlert() throws Exception {
        ReplicationGroup group = group(200);
        // A repository that stores what it is given but then reports a different size: a lying gateway.
        ObjectStore lying = new ForwardingObjectStore(store) {
            @Override
            public ObjectInfo head(String key) throws IOException {
                ObjectInfo real = super.head(key);
                return new ObjectInfo(key, real.size() - 1, real.checksum(), real.metadata(), real.lastModified());
            }
        };
        Archiver archiver = archiver(group.replica("r1"), lying, alerts, clock, ArchiveConfig.defaults());
        closing.add(archiver);

        ArchiveReport report = archiver.runPass();

        PartitionReport partition = report.partitions().getFirst();
        assertThat(partition.uploaded()).isZero();
        assertThat(partition.failed()).isEqualTo(2);
        assertThat(partition.archivedLsn()).isEqualTo(-1);
        assertThat(ArchivedLsnFile.read(group.replica("r1").walDir())).isEmpty();
        assertThat(alerts.ofType(AlertType.ARCHIVE_VERIFY_FAILED))
                .hasSize(2)
                .first()
                .satisfies(a -> assertThat(a.message())
                        .contains("after upload the repository reports", "is not counted as archived"));
    }

    private static void flipByte(Path file, long offset) throws Exception {
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.seek(offset);
            int b = raw.read();
            raw.seek(offset);
            raw.write(b ^ 0x01);
        }
    }
}
