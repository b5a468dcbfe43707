package dev.vigil.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.LsnRange;
import dev.vigil.core.alert.AlertType;
import dev.vigil.core.repository.ArchivedRanges;
import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.store.LocalObjectFile;
import dev.vigil.core.wal.Op;
import dev.vigil.core.wal.WalRecord;
import dev.vigil.testkit.node.Divergence;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportBuilderTest {

    @TempDir
    Path dir;

    private ReportFixture fixture;

    @AfterEach
    void tearDown() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** Three days of writes, each archived 30 s after it was written, verified, scrubbed and judged; one drill. */
    private void threeCleanDays() throws Exception {
        for (int day = 0; day < 3; day++) {
            fixture.clock.advance(Duration.ofMinutes(10));
            fixture.writeAndArchive(250);
            fixture.verifyArchive();
            fixture.scrubAndJudge();
            fixture.clock.advance(Duration.ofDays(1));
        }
    }

    @Test
    void cleanHistoryIsCompliantWithExactLagCoverageAndVerification() throws Exception {
        fixture = new ReportFixture(dir, 1_000_000);
        threeCleanDays();
        assertThat(fixture.drill().passed()).isTrue();

        ComplianceReport report = fixture.reports(ReportFixture.defaultRequirements()).build(Duration.ofDays(7));

        assertThat(report.reasons()).isEmpty();
        assertThat(report.compliant()).isTrue();
        ComplianceReport.PartitionCompliance p = report.partitions().getFirst();
        assertThat(p.partition()).isEqualTo(fixture.group.partition().value());
        assertThat(p.coverage().firstLsn()).isEqualTo(1);
        assertThat(p.coverage().lastLsn()).isEqualTo(750);
        assertThat(p.coverage().gaps()).isEmpty();
        assertThat(p.coverage().ranges()).containsExactly(new ComplianceReport.Range(1, 750));
        // 250 records a day: two full segments and one sealed partial, nine in all, each archived 30 s after its writes.
        assertThat(p.lag().segments()).isEqualTo(9);
        assertThat(p.lag().measured()).isEqualTo(9);
        assertThat(p.lag().maxSeconds()).isEqualTo(30.0);
        assertThat(p.lag().p99Seconds()).isEqualTo(30.0);
        assertThat(p.lag().points()).hasSize(9);
        assertThat(p.replicas()).extracting(ComplianceReport.ReplicaVerification::replica).containsExactly("r1", "r2", "r3");
        assertThat(p.replicas()).allSatisfy(r -> {
            assertThat(r.lastVerdictStatus()).isEqualTo("CLEAN");
            assertThat(r.lastCleanLsn()).isEqualTo(750);
            assertThat(r.cleanInPeriod()).isEqualTo(3);
            assertThat(r.withinMaxAge()).isTrue();
        });
        assertThat(p.fullyVerified()).isTrue();
        assertThat(p.findings()).isEmpty();
        assertThat(p.drills()).singleElement().satisfies(d -> assertThat(d.passed()).isTrue());
        assertThat(p.restorable().oldestLsn()).isZero();
        assertThat(p.restorable().newestLsn()).isEqualTo(750);
        assertThat(p.restorable().meetsPolicy()).isTrue();
        assertThat(report.totals().partitionsCompliant()).isEqualTo(1);
        assertThat(report.totals().shareFullyVerified()).isEqualTo(1.0);
        assertThat(report.totals().drillsPassed()).isEqualTo(1);
        assertThat(report.objectLock().available()).isFalse();
    }

    @Test
    void lostWriteIsAnOpenFindingNamingTheReplicaUntilACleanVerdictResolvesIt() throws Exception {
        fixture = new ReportFixture(dir, 1_000_000);
        long lost = 120;
        fixture.group.diverge("r2", lost, Divergence.DROP_FROM_STORE);
        threeCleanDays();
        fixture.drill();

        ComplianceReport report = fixture.reports(ReportFixture.defaultRequirements()).build(Duration.ofDays(7));

        assertThat(report.compliant()).isFalse();
        ComplianceReport.PartitionCompliance p = report.partitions().getFirst();
        assertThat(p.reasons()).anySatisfy(r -> assertThat(r).contains("replica r2: its latest verdict is REPLICA_DIVERGED at LSN 750"));
        assertThat(p.reasons()).anySatisfy(r -> assertThat(r).contains("replica r2: never verified clean"));
        assertThat(p.findings()).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(AlertType.REPLICA_DIVERGED.name());
            assertThat(f.subject()).contains("replica r2");
            assertThat(f.open()).isTrue();
        });
        assertThat(p.fullyVerified()).isFalse();
        assertThat(report.reasons()).anySatisfy(r -> assertThat(r).startsWith("partition " + p.partition() + ": open REPLICA_DIVERGED"));

        // An operator repairs r2 (writes the lost item back); the next scrub and judge find it clean.
        WalRecord record = fixture.group.history().get((int) lost - 1);
        assertThat(record.op()).as("the dropped record is a put").isEqualTo(Op.PUT);
        fixture.group.replica("r2").db().put(record.key(), record.value());
        fixture.clock.advance(Duration.ofHours(1));
        fixture.writeAndArchive(50);
        fixture.verifyArchive();
        fixture.scrubAndJudge();

        ComplianceReport later = fixture.reports(ReportFixture.defaultRequirements()).build(Duration.ofDays(7));
        ComplianceReport.PartitionCompliance q = later.partitions().getFirst();
        assertThat(q.findings()).singleElement().satisfies(f -> {
            assertThat(f.open()).isFalse();
            assertThat(f.resolution()).isEqualTo("replica r2 verified CLEAN at LSN 800");
        });
        assertThat(later.compliant()).as("%s", later.reasons()).isTrue();
        assertThat(later.totals().findingsOpened()).isEqualTo(1);
        assertThat(later.totals().findingsResolved()).isEqualTo(1);
    }

    @Test
    void lagAboveTheRpoAndAGapAreReasonsAndTheGapBreaksTheRestorableWindow() throws Exception {
        fixture = new ReportFixture(dir, 1_000_000);
        fixture.writeAndArchive(300);
        fixture.group.write(300);
        fixture.group.sealAll();
        fixture.clock.advance(Duration.ofMinutes(10));
        fixture.archive();
        fixture.scrubAndJudge();
        fixture.drill();
        ArchivedSegment middle = ArchivedRanges.list(fixture.store, fixture.group.partition()).segments().get(3);
        fixture.store.delete(middle.key());

        ComplianceReport report = fixture.reports(ReportFixture.defaultRequirements()).build(Duration.ofDays(7));

        ComplianceReport.PartitionCompliance p = report.partitions().getFirst();
        assertThat(p.lag().maxSeconds()).isEqualTo(600.0);
        assertThat(p.reasons()).contains("archive gap: LSNs 301..400 are missing");
        assertThat(p.reasons()).anySatisfy(r -> assertThat(r).startsWith("archive lag reached 600.0 s")
                .endsWith("above archive.rpo (5 min)"));
        assertThat(p.reasons()).anySatisfy(r -> assertThat(r).contains(
                "restores stop at LSN 300, but the archive holds LSNs up to 600 (a gap breaks the chain)"));
        assertThat(p.restorable().meetsPolicy()).isFalse();
        assertThat(p.coverage().gaps()).containsExactly(new ComplianceReport.Range(301, 400));
        assertThat(report.compliant()).isFalse();
    }

    @Test
    void damagedArchivedObjectIsAFindingThatResolvesOnlyWhenItIsVerifiedIntactAgain() throws Exception {
        fixture = new ReportFixture(dir, 1_000_000);
        threeCleanDays();
        fixture.drill();
        String key = RepositoryLayout.walKey(fixture.group.partition(), new LsnRange(101, 200));
        Path file = dir.resolve("repo").resolve(key);
        long payload = LocalObjectFile.readHeader(file, "repo", key).payloadOffset();
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.seek(payload + 500);
            int b = raw.read();
            raw.seek(payload + 500);
            raw.write(b ^ 0x01);
        }
        fixture.clock.advance(Duration.ofHours(1));
        fixture.verifyArchive();
        assertThat(fixture.recorded.ofType(AlertType.ARCHIVE_CORRUPT)).hasSize(1);

        ComplianceReport.PartitionCompliance damaged = fixture.reports(ReportFixture.defaultRequirements())
                .build(Duration.ofDays(7)).partitions().getFirst();
        assertThat(damaged.findings()).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo("ARCHIVE_CORRUPT");
            assertThat(f.subject()).contains(key).contains("LSNs [101..200]");
            assertThat(f.open()).isTrue();
        });

        // As the alert says: delete the damaged object; a node that still holds the segment archives it again.
        fixture.store.delete(key);
        fixture.clock.advance(Duration.ofMinutes(5));
        fixture.archive();
        fixture.clock.advance(Duration.ofMinutes(5));
        fixture.verifyArchive();

        ComplianceReport repaired = fixture.reports(ReportFixture.defaultRequirements()).build(Duration.ofDays(7));
        assertThat(repaired.partitions().getFirst().findings()).singleElement().satisfies(f -> {
            assertThat(f.open()).isFalse();
            assertThat(f.resolution()).startsWith(key + " verified intact at ");
        });
        assertThat(repaired.partitions().getFirst().lag().storedAgain()).isEqualTo(1);
        assertThat(repaired.partitions().getFirst().lag().maxSeconds()).as("the first store time counts").isEqualTo(30.0);
        assertThat(repaired.compliant()).as("%s", repaired.reasons()).isTrue();
    }

    @Test
    void staleVerificationAndNoRecentDrillAreReasons() throws Exception {
        fixture = new ReportFixture(dir, 1_000_000);
        fixture.writeAndArchive(200);
        fixture.verifyArchive();
        fixture.scrubAndJudge();
        fixture.clock.advance(Duration.ofDays(3));

        ComplianceReport report = fixture.reports(ReportFixture.defaultRequirements()).build(Duration.ofDays(7));

        assertThat(report.reasons()).contains("no restore drill passed within report.drill-every (8 days); none ever passed");
        assertThat(report.repositoryReasons()).as("what concerns no single partition")
                .containsExactly("no restore drill passed within report.drill-every (8 days); none ever passed");
        assertThat(report.partitions().getFirst().replicas()).extracting(ComplianceReport.ReplicaVerification::lastScrubLsn)
                .containsOnly(200L);
        List<String> reasons = report.partitions().getFirst().reasons();
        for (String replica : List.of("r1", "r2", "r3")) {
            assertThat(reasons).anySatisfy(r -> assertThat(r).startsWith("replica " + replica + ": last verified clean 3 days ago")
                    .endsWith("(report.max-verification-age 2 days)"));
        }
        assertThat(report.partitions().getFirst().replicas()).allSatisfy(r -> {
            assertThat(r.secondsSinceVerified()).isEqualTo(Duration.ofDays(3).toSeconds());
            assertThat(r.withinMaxAge()).isFalse();
        });
    }

    @Test
    void aPartitionScrubbedButNeverArchivedIsNotCompliant() throws Exception {
        fixture = new ReportFixture(dir, 1_000_000);
        fixture.group.write(50);
        fixture.scrubAndJudge();

        ComplianceReport report = fixture.reports(ReportFixture.defaultRequirements()).build(Duration.ofDays(1));

        assertThat(report.partitions()).singleElement().satisfies(p -> assertThat(p.reasons())
                .contains("nothing is archived: replicas were scrubbed, but the archive holds no segment"));
        assertThat(HtmlReport.render(report)).contains("NOT COMPLIANT", "nothing is archived");
    }
}
