package dev.vigil.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.LsnRange;
import dev.vigil.core.PartitionId;
import dev.vigil.core.alert.AlertType;
import dev.vigil.core.config.RetentionConfig;
import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.repository.DrillRecord;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.repository.RestorableRange;
import dev.vigil.core.repository.VerificationState;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.PutRequest;
import dev.vigil.replay.snapshot.Snapshots;
import dev.vigil.testkit.alert.RecordingAlerts;
import dev.vigil.testkit.store.ForwardingObjectStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionAndDrillTest {

    @TempDir
    Path dir;

    private RestoreFixture fixture;
    private final RecordingAlerts alerts = new RecordingAlerts();

    @BeforeEach
    void setUp() throws Exception {
        fixture = new RestoreFixture(dir);
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
        fixture.store.close();
    }

    private Retention retention(Duration window, int keep) {
        return new Retention(
                new Repository(fixture.store), fixture.snapshots(), RetentionConfig.of(window, keep), fixture.clock);
    }

    @Test
    void retentionExpiresWhatTheWindowNoLongerNeedsAndRestoresInsideItStillWork() throws Exception {
        // Ten segments archived a day apart, snapshots after segments 3 and 6; keep three days.
        fixture.archive(10, 100, Duration.ofDays(1));
        fixture.snapshotAt(300);
        fixture.snapshotAt(600);
        Retention retention = retention(Duration.ofDays(3), 1);

        Retention.PartitionOutcome dry = retention.run(fixture.group.partition(), true);
        assertThat(dry.baseSnapshot()).contains(600L);
        assertThat(dry.expiredSegments()).hasSize(6);
        assertThat(dry.expiredSnapshots()).containsExactly(300L);
        assertThat(new Repository(fixture.store)
                        .archive(fixture.group.partition())
                        .segments())
                .as("a dry run deletes nothing")
                .hasSize(10);

        Retention.PartitionOutcome done = retention.run(fixture.group.partition(), false);
        assertThat(done.refused()).isEmpty();
        assertThat(done.restorable()).contains(new RestorableRange(600, 1_000));
        List<ArchivedSegment> left =
                new Repository(fixture.store).archive(fixture.group.partition()).segments();
        assertThat(left.getFirst().range()).isEqualTo(new LsnRange(601, 700));
        assertThat(fixture.snapshots().list(fixture.group.partition()))
                .extracting(Snapshots.SnapshotRef::lsn)
                .containsExactly(600L);
        assertThat(fixture.store
                        .listAll(RepositoryLayout.snapshotPrefix(fixture.group.partition(), 300))
                        .hasNext())
                .as("the expired snapshot's files are gone too")
                .isFalse();

        for (long lsn : new long[] {600, 777, 1_000}) {
            RestoreResult result = fixture.restorer()
                    .restore(
                            new RestoreRequest(
                                    fixture.group.partition(),
                                    new RestoreTarget.ToLsn(lsn),
                                    dir.resolve("after-" + lsn),
                                    RestoreFormat.ROCKSDB,
                                    false),
                            RestoreProgress.SILENT);
            long[] applied = {0};
            assertThat(RestoreFixture.readRocksDb(result.output(), applied)).isEqualTo(fixture.expectedAt(lsn));
        }
    }

    /**
     * Every segment stored again today (as a rewrap under a new key, or a repair, does) after it was verified: retention
     * still counts each from when its records first became safe, so the window does not start over.
     */
    @Test
    void segmentsStoredAgainKeepTheirFirstStoreTimeForRetention() throws Exception {
        fixture.archive(10, 100, Duration.ofDays(1));
        fixture.snapshotAt(300);
        fixture.snapshotAt(600);
        Repository repository = new Repository(fixture.store);
        PartitionId partition = fixture.group.partition();
        VerificationState state = repository.verificationState(partition);
        for (ArchivedSegment segment : repository.archive(partition).segments()) {
            try (ObjectStream in = fixture.store.get(segment.key())) {
                byte[] bytes = in.readAllBytes();
                state.verified(segment, in.info().checksum(), fixture.clock.instant(), 0);
                fixture.store.put(PutRequest.overwrite(
                        segment.key(),
                        ObjectBody.ofBytes(bytes),
                        in.info().checksum(),
                        in.info().metadata()));
            }
        }
        repository.save(state);
        fixture.clock.advance(Duration.ofMinutes(1));
        assertThat(repository.archive(partition).segments())
                .as("every segment now carries today's store time")
                .allSatisfy(s -> assertThat(s.lastModified())
                        .isAfter(fixture.clock.instant().minus(Duration.ofHours(1))));

        Retention.PartitionOutcome done = retention(Duration.ofDays(3), 1).run(partition, false);

        assertThat(done.expiredSegments()).hasSize(6);
        assertThat(done.restorable()).contains(new RestorableRange(600, 1_000));
    }

    @Test
    void deletesTheStoreRefusesAreReportedAndTheRestGoesOn() throws Exception {
        fixture.archive(10, 100, Duration.ofDays(1));
        fixture.snapshotAt(300);
        fixture.snapshotAt(600);
        String lockedSegment = RepositoryLayout.walKey(fixture.group.partition(), new LsnRange(101, 200));
        String lockedManifest = RepositoryLayout.snapshotManifestKey(fixture.group.partition(), 300);
        // As S3 answers a delete of an object under an unexpired Object Lock retention.
        ObjectStore locking = new ForwardingObjectStore(fixture.store) {
            @Override
            public void delete(String key) throws IOException {
                if (key.equals(lockedSegment) || key.equals(lockedManifest)) {
                    throw new IOException("AccessDenied (403): object " + key + " is locked until 2026-12-01");
                }
                super.delete(key);
            }
        };
        Retention retention = new Retention(
                new Repository(locking),
                new Snapshots(new Repository(locking), dir.resolve("scratch"), fixture.clock, 2),
                RetentionConfig.of(Duration.ofDays(3), 1),
                fixture.clock);

        Retention.PartitionOutcome outcome = retention.run(fixture.group.partition(), false);

        assertThat(outcome.refused())
                .containsExactlyInAnyOrder(
                        lockedSegment + ": AccessDenied (403): object " + lockedSegment + " is locked until 2026-12-01",
                        lockedManifest + ": AccessDenied (403): object " + lockedManifest
                                + " is locked until 2026-12-01");
        assertThat(new Repository(fixture.store)
                        .archive(fixture.group.partition())
                        .segments())
                .extracting(ArchivedSegment::range)
                .containsExactly(
                        new LsnRange(101, 200),
                        new LsnRange(601, 700),
                        new LsnRange(701, 800),
                        new LsnRange(801, 900),
                        new LsnRange(901, 1_000));
        assertThat(fixture.snapshots().list(fixture.group.partition()))
                .as("a snapshot whose manifest stays keeps its files")
                .extracting(Snapshots.SnapshotRef::lsn)
                .containsExactly(300L, 600L);
        assertThat(fixture.store
                        .listAll(RepositoryLayout.snapshotPrefix(fixture.group.partition(), 300))
                        .hasNext())
                .isTrue();
        RestoreResult result = fixture.restorer()
                .restore(
                        new RestoreRequest(
                                fixture.group.partition(),
                                new RestoreTarget.ToLsn(888),
                                dir.resolve("after"),
                                RestoreFormat.ROCKSDB,
                                false),
                        RestoreProgress.SILENT);
        assertThat(result.verified()).isTrue();
    }

    @Test
    void withoutASnapshotBelowTheWindowNothingIsExpired() throws Exception {
        fixture.archive(6, 100, Duration.ofDays(1));
        Retention.PartitionOutcome outcome = retention(Duration.ofDays(2), 0).run(fixture.group.partition(), false);
        assertThat(outcome.expiredSegments()).isEmpty();
        assertThat(outcome.baseSnapshot()).isEmpty();
        assertThat(outcome.restorable()).contains(new RestorableRange(0, 600));
        assertThat(new Repository(fixture.store)
                        .archive(fixture.group.partition())
                        .segments())
                .hasSize(6);
    }

    @Test
    void aPassingDrillIsRecordedAndAFailingOneRaisesItsAlert() throws Exception {
        fixture.archive(5, 100);
        RestoreDrill drill = drill();
        DrillRecord passed = drill.run().orElseThrow();
        assertThat(passed.passed()).isTrue();
        assertThat(passed.lsn()).isBetween(1L, 500L);
        assertThat(alerts.ofType(AlertType.RESTORE_DRILL_FAILED)).isEmpty();

        // Lose a segment in the middle: any drill past LSN 200 now fails, and says where.
        fixture.store.delete(RepositoryLayout.walKey(fixture.group.partition(), new LsnRange(201, 300)));
        fixture.clock.advance(Duration.ofSeconds(1));
        DrillRecord failed = null;
        for (int i = 0; i < 20 && failed == null; i++) {
            fixture.clock.advance(Duration.ofSeconds(1));
            DrillRecord record = drill.run(fixture.group.partition());
            if (!record.passed()) {
                failed = record;
            }
        }
        assertThat(failed).isNotNull();
        assertThat(failed.error()).contains("LSNs [201..300] are not in the archive");
        assertThat(alerts.ofType(AlertType.RESTORE_DRILL_FAILED)).isNotEmpty().allSatisfy(a -> {
            assertThat(a.partition()).contains(fixture.group.partition());
            assertThat(a.message()).contains("[201..300]");
        });
        assertThat(new Repository(fixture.store).drills(fixture.group.partition()))
                .anyMatch(DrillRecord::passed)
                .anyMatch(r -> !r.passed());
    }

    /** A drill stopped by its daemon's shutdown (its thread interrupted) did not fail: it leaves no record and no alert. */
    @Test
    void anInterruptedDrillIsNeitherRecordedNorAFailure() throws Exception {
        fixture.archive(5, 100);
        RestoreDrill drill = drill();

        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> drill.run(fixture.group.partition()))
                    .isInstanceOfSatisfying(
                            RestoreException.class,
                            e -> assertThat(e.kind()).isEqualTo(RestoreException.Kind.INTERRUPTED));
        } finally {
            Thread.interrupted();
        }
        assertThat(new Repository(fixture.store).drills(fixture.group.partition()))
                .isEmpty();
        assertThat(alerts.ofType(AlertType.RESTORE_DRILL_FAILED)).isEmpty();
        assertThat(dir.resolve("work").resolve("drills")).isEmptyDirectory();
    }

    private RestoreDrill drill() {
        return new RestoreDrill(
                new Repository(fixture.store),
                fixture.restorer(),
                fixture.snapshots(),
                RetentionConfig.defaults(),
                dir.resolve("work"),
                alerts,
                fixture.clock,
                new SplittableRandom(3));
    }
}
