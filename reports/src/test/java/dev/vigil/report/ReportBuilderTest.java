package dev.vigil.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.LsnRange;
import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.VigilVersion;
import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.AlertType;
import dev.vigil.core.repository.Acknowledgement;
import dev.vigil.core.repository.AcknowledgementCheck;
import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.repository.Verdict;
import dev.vigil.core.store.LocalObjectFile;
import dev.vigil.core.wal.Op;
import dev.vigil.core.wal.WalRecord;
import dev.vigil.demo.node.Divergence;
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

        ComplianceReport report =
                fixture.reports(ReportFixture.defaultRequirements()).build(Duration.ofDays(7));

        assertThat(report.reasons()).isEmpty();
        assertThat(report.compliant()).isTrue();
        ComplianceReport.PartitionCompliance p = report.partitions().getFirst();
        assertThat(p.partition()).isEqualTo(fixture.group.partition());
        assertThat(p.coverage().firstLsn()).isEqualTo(1);
        assertThat(p.coverage().lastLsn()).isEqualTo(750);
        assertThat(p.coverage().gaps()).isEmpty();
        assertThat(p.coverage().ranges()).containsExactly(new ComplianceReport.Range(1, 750));
        // 250 records a day: two full segments and one sealed partial, nine in all, each archived 30 s after its
        // writes.
        assertThat(p.lag().segments()).isEqualTo(9);
        assertThat(p.lag().measured()).isEqualTo(9);
        assertThat(p.lag().maxSeconds()).isEqualTo(30.0);
        assertThat(p.lag().p99Seconds()).isEqualTo(30.0);
        assertThat(p.lag().points()).hasSize(9);
        assertThat(p.replicas()).extracting(r -> r.replica().value()).containsExactly("r1", "r2", "r3");
        assertThat(p.replicas()).allSatisfy(r -> {
            assertThat(r.lastVerdictStatus()).isEqualTo(Verdict.Status.CLEAN);
            assertThat(r.lastCleanLsn()).isEqualTo(750);
            assertThat(r.cleanInPeriod()).isEqualTo(3);
            assertThat(r.withinMaxAge()).isTrue();
        });
        assertThat(p.fullyVerified()).isTrue();
        assertThat(p.findings()).isEmpty();
        assertThat(p.drills())
                .singleElement()
                .satisfies(d -> assertThat(d.passed()).isTrue());
        assertThat(p.restorable().oldestLsn()).isZero();
        assertThat(p.restorable().newestLsn()).isEqualTo(750);
        assertThat(p.restorable().meetsPolicy()).isTrue();
        assertThat(report.totals().partitionsCompliant()).isEqualTo(1);
        assertThat(report.totals().shareFullyVerified()).isEqualTo(1.0);
        assertThat(report.totals().drillsPassed()).isEqualTo(1);
        assertThat(report.objectLock().available()).isFalse();
        assertThat(report.vigilVersion()).isEqualTo(VigilVersion.version()).isNotBlank();
        assertThat(report.checks())
                .extracting(ComplianceReport.RequirementCheck::requirement)
                .containsExactly(
                        "ARCHIVED_WITHOUT_GAPS",
                        "ARCHIVE_LAG",
                        "VERIFIED_CLEAN",
                        "NO_OPEN_FINDINGS",
                        "RESTORE_DRILL",
                        "RESTORABLE_WINDOW",
                        "OBJECT_LOCK",
                        "ENCRYPTED_AT_REST",
                        "EVIDENCE_READABLE");
        assertThat(report.encryption()).isNotNull();
        assertThat(report.encryption().required()).isFalse();
        assertThat(report.encryption().plain())
                .as("nothing is encrypted here: every object of the period is counted as plaintext")
                .isEqualTo(report.encryption().objects())
                .isPositive();
        assertThat(report.checks())
                .allSatisfy(c -> assertThat(c.passed()).as(c.requirement()).isTrue());
        assertThat(p.replicas()).allSatisfy(r -> assertThat(r.healthy()).isTrue());
    }

    @Test
    void lostWriteIsAnOpenFindingNamingTheReplicaUntilACleanVerdictResolvesIt() throws Exception {
        fixture = new ReportFixture(dir, 1_000_000);
        long lost = 120;
        fixture.group.diverge("r2", lost, Divergence.DROP_FROM_STORE);
        threeCleanDays();
        fixture.drill();

        ComplianceReport report =
                fixture.reports(ReportFixture.defaultRequirements()).build(Duration.ofDays(7));

        assertThat(report.compliant()).isFalse();
        ComplianceReport.PartitionCompliance p = report.partitions().getFirst();
        assertThat(p.reasons())
                .anySatisfy(
                        r -> assertThat(r).contains("replica r2: its latest verdict is REPLICA_DIVERGED at LSN 750"));
        assertThat(p.reasons()).anySatisfy(r -> assertThat(r).contains("replica r2: never verified clean"));
        assertThat(p.findings()).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(AlertType.REPLICA_DIVERGED);
            assertThat(f.subject()).contains("replica r2");
            assertThat(f.open()).isTrue();
        });
        assertThat(p.fullyVerified()).isFalse();
        assertThat(report.reasons())
                .anySatisfy(r -> assertThat(r).startsWith("partition " + p.partition() + ": open REPLICA_DIVERGED"));
        // Each requirement passes or fails on its own line, naming where it failed.
        assertThat(check(report, "NO_OPEN_FINDINGS").passed()).isFalse();
        assertThat(check(report, "NO_OPEN_FINDINGS").failures())
                .singleElement()
                .asString()
                .startsWith("partition p-0001: open REPLICA_DIVERGED finding "
                        + p.findings().getFirst().id() + " (replica r2");
        assertThat(check(report, "VERIFIED_CLEAN").passed()).isFalse();
        assertThat(check(report, "ARCHIVED_WITHOUT_GAPS").passed()).isTrue();
        assertThat(check(report, "ARCHIVE_LAG").passed()).isTrue();
        assertThat(check(report, "RESTORE_DRILL").passed()).isTrue();
        assertThat(p.failedRequirements()).containsExactly("VERIFIED_CLEAN", "NO_OPEN_FINDINGS");
        // A replica with an open finding is never shown as healthy; its peers are.
        assertThat(p.replicas())
                .filteredOn(r -> r.replica().value().equals("r2"))
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.openFindings()).isEqualTo(1);
                    assertThat(r.healthy()).isFalse();
                });
        assertThat(p.replicas())
                .filteredOn(r -> !r.replica().value().equals("r2"))
                .allSatisfy(r -> assertThat(r.healthy()).isTrue());
        String html = HtmlReport.render(report);
        assertThat(html)
                .contains(
                        "<td class=\"poor\">REPLICA_DIVERGED at LSN 750<br>open: REPLICA_DIVERGED",
                        "<td class=\"poor\">FAIL</td>",
                        "<td class=\"good\">PASS</td>",
                        "generated by Vigil ");

        // An operator repairs r2 (writes the lost item back); the next scrub and judge find it clean.
        WalRecord record = fixture.group.history().get((int) lost - 1);
        assertThat(record.op()).as("the dropped record is a put").isEqualTo(Op.PUT);
        fixture.group.replica("r2").db().put(record.key(), record.value());
        fixture.clock.advance(Duration.ofHours(1));
        fixture.writeAndArchive(50);
        fixture.verifyArchive();
        fixture.scrubAndJudge();

        ComplianceReport later =
                fixture.reports(ReportFixture.defaultRequirements()).build(Duration.ofDays(7));
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
    void bitRotStaysOpenUntilAScrubReadsTheReplicaIntactAgainAndTheReplicaIsNeverShownClean() throws Exception {
        fixture = new ReportFixture(dir, 1_000_000);
        threeCleanDays();
        fixture.drill();
        // The nodes scrub; before the judge gets to those reports, r3's next scrub meets a damaged block.
        fixture.clock.advance(Duration.ofHours(1));
        fixture.writeAndArchive(50);
        fixture.scrub();
        fixture.clock.advance(Duration.ofMinutes(10));
        fixture.alerts.raise(Alert.of(AlertType.REPLICA_BIT_ROT, fixture.clock.instant())
                .partition(fixture.group.partition())
                .replica(ReplicaId.of("r3"))
                .message("replica r3 of p-0001: storage checksum failure in 000012.sst (data block)")
                .action("rebuild it")
                .build());
        // The judge now finds r3's older report clean: a verdict on what was read before the rot, not a proof.
        fixture.clock.advance(Duration.ofMinutes(10));
        fixture.judge();

        ComplianceReport report =
                fixture.reports(ReportFixture.defaultRequirements()).build(Duration.ofDays(7));
        ComplianceReport.PartitionCompliance p = report.partitions().getFirst();
        ComplianceReport.Finding rot = p.findings().stream()
                .filter(f -> f.type() == AlertType.REPLICA_BIT_ROT)
                .findFirst()
                .orElseThrow();
        assertThat(rot.open()).as(rot.resolution()).isTrue();
        ComplianceReport.ReplicaVerification r3 = p.replicas().stream()
                .filter(r -> r.replica().value().equals("r3"))
                .findFirst()
                .orElseThrow();
        assertThat(r3.lastVerdictStatus()).isEqualTo(Verdict.Status.CLEAN);
        assertThat(r3.healthy()).isFalse();
        assertThat(r3.openFindingTypes()).containsExactly(AlertType.REPLICA_BIT_ROT);
        assertThat(report.totals().replicasVerifiedClean()).isEqualTo(2);
        assertThat(report.totals().replicasVerifiedWithinMaxAge()).isEqualTo(3);
        String html = HtmlReport.render(report);
        assertThat(html)
                .contains("<td class=\"poor\">CLEAN at LSN 800<br>open: REPLICA_BIT_ROT")
                .contains("2 / 3</div><div class=\"k\">replicas verified clean within max age");

        // The next scrub reads r3 intact (the block was rebuilt) and the judge finds it clean: resolved.
        fixture.clock.advance(Duration.ofHours(1));
        fixture.writeAndArchive(50);
        fixture.scrubAndJudge();
        ComplianceReport later =
                fixture.reports(ReportFixture.defaultRequirements()).build(Duration.ofDays(7));
        assertThat(later.partitions().getFirst().findings())
                .filteredOn(f -> f.type() == AlertType.REPLICA_BIT_ROT)
                .singleElement()
                .satisfies(f -> assertThat(f.resolution())
                        .isEqualTo("replica r3 scrubbed again with its storage intact, and verified CLEAN at LSN 850"));
    }

    private static ComplianceReport.RequirementCheck check(ComplianceReport report, String requirement) {
        return report.checks().stream()
                .filter(c -> c.requirement().equals(requirement))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void anAcknowledgedFindingIsShownWithWhoAndWhyAndDoesNotCountAsOpen() throws Exception {
        fixture = new ReportFixture(dir, 1_000_000);
        fixture.group.diverge("r2", 120, Divergence.DROP_FROM_STORE);
        threeCleanDays();
        fixture.drill();
        ComplianceReport before =
                fixture.reports(ReportFixture.defaultRequirements()).build(Duration.ofDays(7));
        ComplianceReport.Finding finding =
                before.partitions().getFirst().findings().getFirst();
        assertThat(finding.id()).matches("F-[0-9a-f]{10}");
        assertThat(finding.blocking()).isTrue();

        new Repository(fixture.store)
                .acknowledge(new Acknowledgement(
                        Acknowledgement.VERSION,
                        finding.id(),
                        PartitionId.of("p-0001"),
                        "alice@ops-1",
                        fixture.clock.instant(),
                        "r2 lost the item in incident 4411; rebuilding"));
        ComplianceReport after =
                fixture.reports(ReportFixture.defaultRequirements()).build(Duration.ofDays(7));

        ComplianceReport.Finding same = after.partitions().getFirst().findings().getFirst();
        assertThat(same.id()).as("the same problem keeps its id").isEqualTo(finding.id());
        assertThat(same.open()).isTrue();
        assertThat(same.blocking()).isFalse();
        assertThat(same.acknowledgements())
                .containsExactly(new ComplianceReport.Acknowledged(
                        "alice@ops-1", fixture.clock.instant(), "r2 lost the item in incident 4411; rebuilding"));
        assertThat(check(after, "NO_OPEN_FINDINGS").passed()).isTrue();
        // Acknowledged is counted as such, never nowhere: not open (blocking), not resolved.
        assertThat(after.totals().findingsAcknowledged()).isEqualTo(1);
        assertThat(after.totals().findingsOpen()).isZero();
        assertThat(after.totals().findingsResolved()).isZero();
        // The facts stay: r2's latest verdict is still not clean, so the report is still not compliant.
        assertThat(check(after, "VERIFIED_CLEAN").passed()).isFalse();
        assertThat(after.compliant()).isFalse();
        String html = HtmlReport.render(after);
        assertThat(html)
                .contains(
                        "acknowledged by alice@ops-1 at ",
                        ": r2 lost the item in incident 4411; rebuilding",
                        finding.id(),
                        "ACKNOWLEDGED (still open)",
                        "1 acknowledged",
                        "a claim, not a signature")
                .doesNotContain("poor\">OPEN");

        // A second acknowledgement is kept beside the first: both are shown, oldest first.
        fixture.clock.advance(Duration.ofMinutes(5));
        new Repository(fixture.store)
                .acknowledge(new Acknowledgement(
                        Acknowledgement.VERSION,
                        finding.id(),
                        PartitionId.of("p-0001"),
                        "bob@ops-2",
                        fixture.clock.instant(),
                        "not 4411: r2's disk reported errors; replaced"));
        ComplianceReport later =
                fixture.reports(ReportFixture.defaultRequirements()).build(Duration.ofDays(7));
        assertThat(later.partitions().getFirst().findings().getFirst().acknowledgements())
                .extracting(ComplianceReport.Acknowledged::by)
                .containsExactly("alice@ops-1", "bob@ops-2");
        String laterHtml = HtmlReport.render(later);
        assertThat(laterHtml.indexOf("acknowledged by alice@ops-1"))
                .isLessThan(laterHtml.indexOf("acknowledged by bob"));
    }

    /**
     * With operator keys, an acknowledgement the check refuses (here: one by "mallory") does not explain its finding,
     * which stays open, and the report names its object and why; a counted signed one shows its key, verified.
     */
    @Test
    void anAcknowledgementTheCheckRefusesLeavesTheFindingOpenAndIsNamed() throws Exception {
        fixture = new ReportFixture(dir, 1_000_000);
        fixture.group.diverge("r2", 120, Divergence.DROP_FROM_STORE);
        threeCleanDays();
        fixture.drill();
        ComplianceReport before =
                fixture.reports(ReportFixture.defaultRequirements()).build(Duration.ofDays(7));
        String id = before.partitions().getFirst().findings().getFirst().id();
        Repository repository = new Repository(fixture.store);
        String refused = repository.acknowledge(new Acknowledgement(
                Acknowledgement.VERSION,
                id,
                PartitionId.of("p-0001"),
                "mallory",
                fixture.clock.instant(),
                "nothing to see",
                "\u2014 mallory AAAAAA==\n"));
        AcknowledgementCheck onlyAlice = ack -> ack.by().equals("alice")
                ? AcknowledgementCheck.Outcome.counted("alice+01020304", true)
                : AcknowledgementCheck.Outcome.forged("mallory+00000000", "its signature does not verify");

        ComplianceReport report = new ReportBuilder(
                        repository, ReportFixture.defaultRequirements(), fixture.clock, onlyAlice)
                .build(Duration.ofDays(7));

        ComplianceReport.Finding finding =
                report.partitions().getFirst().findings().getFirst();
        assertThat(finding.blocking()).isTrue();
        assertThat(finding.acknowledgements()).isEmpty();
        assertThat(report.unreadableDocuments()).singleElement().satisfies(u -> {
            assertThat(u.key()).isEqualTo(refused);
            assertThat(u.reason()).contains("by mallory", "not counted", "its signature does not verify");
        });
        assertThat(check(report, "EVIDENCE_READABLE").passed()).isFalse();

        fixture.clock.advance(Duration.ofMinutes(1));
        repository.acknowledge(new Acknowledgement(
                Acknowledgement.VERSION,
                id,
                PartitionId.of("p-0001"),
                "alice",
                fixture.clock.instant(),
                "incident 4411",
                "\u2014 alice AQIDBA==\n"));
        ComplianceReport signed = new ReportBuilder(
                        repository, ReportFixture.defaultRequirements(), fixture.clock, onlyAlice)
                .build(Duration.ofDays(7));
        assertThat(signed.partitions().getFirst().findings().getFirst().acknowledgements())
                .singleElement()
                .satisfies(a -> assertThat(a.signature())
                        .isEqualTo(new ComplianceReport.Signature("alice+01020304", "\u2014 alice AQIDBA==\n", true)));
        assertThat(HtmlReport.render(signed))
                .contains("signed with operator key alice+01020304, verified by this report");
    }

    @Test
    void anArchiveThatStoppedWhileTheNodeKeepsWritingFailsTheLagRequirement() throws Exception {
        fixture = new ReportFixture(dir, 1_000_000);
        fixture.writeAndArchive(200);
        fixture.verifyArchive();
        fixture.scrubAndJudge();
        fixture.drill();
        // The node keeps writing and scrubbing, but nothing is archived any more (its daemon's archiving is stuck).
        fixture.group.write(150);
        fixture.clock.advance(Duration.ofMinutes(1));
        fixture.scrubAndJudge();
        ComplianceReport early =
                fixture.reports(ReportFixture.defaultRequirements()).build(Duration.ofDays(7));
        assertThat(check(early, "ARCHIVE_LAG").passed())
                .as("within the RPO so far: %s", early.reasons())
                .isTrue();

        fixture.clock.advance(Duration.ofHours(2));
        ComplianceReport report =
                fixture.reports(ReportFixture.defaultRequirements()).build(Duration.ofDays(7));

        assertThat(check(report, "ARCHIVE_LAG").passed()).isFalse();
        assertThat(check(report, "ARCHIVE_LAG").failures())
                .singleElement()
                .asString()
                .startsWith("partition p-0001: the archive is stale: replica r1 had applied LSN 350 by ")
                .contains(
                        "but the archive still ends at LSN 200",
                        "have waited at least 2 h",
                        "above archive.rpo (5 min)");
        assertThat(report.compliant()).isFalse();
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
        ArchivedSegment middle = new Repository(fixture.store)
                .archive(fixture.group.partition())
                .segments()
                .get(3);
        fixture.store.delete(middle.key());

        ComplianceReport report =
                fixture.reports(ReportFixture.defaultRequirements()).build(Duration.ofDays(7));

        ComplianceReport.PartitionCompliance p = report.partitions().getFirst();
        assertThat(p.lag().maxSeconds()).isEqualTo(600.0);
        assertThat(p.reasons()).contains("archive gap: LSNs 301..400 are missing");
        assertThat(p.reasons())
                .anySatisfy(r ->
                        assertThat(r).startsWith("archive lag reached 600.0 s").endsWith("above archive.rpo (5 min)"));
        assertThat(p.reasons())
                .anySatisfy(
                        r -> assertThat(r)
                                .contains(
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
                .build(Duration.ofDays(7))
                .partitions()
                .getFirst();
        assertThat(damaged.findings()).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(AlertType.ARCHIVE_CORRUPT);
            assertThat(f.subject()).contains(key).contains("LSNs [101..200]");
            assertThat(f.open()).isTrue();
        });

        // As the alert says: delete the damaged object; a node that still holds the segment archives it again.
        fixture.store.delete(key);
        fixture.clock.advance(Duration.ofMinutes(5));
        fixture.archive();
        fixture.clock.advance(Duration.ofMinutes(5));
        fixture.verifyArchive();

        ComplianceReport repaired =
                fixture.reports(ReportFixture.defaultRequirements()).build(Duration.ofDays(7));
        assertThat(repaired.partitions().getFirst().findings()).singleElement().satisfies(f -> {
            assertThat(f.open()).isFalse();
            assertThat(f.resolution()).startsWith(key + " verified intact at ");
        });
        assertThat(repaired.partitions().getFirst().lag().storedAgain()).isEqualTo(1);
        assertThat(repaired.partitions().getFirst().lag().maxSeconds())
                .as("the first store time counts")
                .isEqualTo(30.0);
        assertThat(repaired.compliant()).as("%s", repaired.reasons()).isTrue();
    }

    @Test
    void staleVerificationAndNoRecentDrillAreReasons() throws Exception {
        fixture = new ReportFixture(dir, 1_000_000);
        fixture.writeAndArchive(200);
        fixture.verifyArchive();
        fixture.scrubAndJudge();
        fixture.clock.advance(Duration.ofDays(3));

        ComplianceReport report =
                fixture.reports(ReportFixture.defaultRequirements()).build(Duration.ofDays(7));

        assertThat(report.reasons())
                .contains(
                        "no restore drill passed within report.drill-every (8 days); none ever passed (vigil drill runs one now)");
        assertThat(report.repositoryReasons())
                .as("what concerns no single partition")
                .containsExactly(
                        "no restore drill passed within report.drill-every (8 days); none ever passed (vigil drill runs one now)");
        assertThat(report.partitions().getFirst().replicas())
                .extracting(ComplianceReport.ReplicaVerification::lastScrubLsn)
                .containsOnly(200L);
        List<String> reasons = report.partitions().getFirst().reasons();
        for (String replica : List.of("r1", "r2", "r3")) {
            assertThat(reasons)
                    .anySatisfy(r -> assertThat(r)
                            .startsWith("replica " + replica + ": last verified clean 3 days ago")
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

        ComplianceReport report =
                fixture.reports(ReportFixture.defaultRequirements()).build(Duration.ofDays(1));

        assertThat(report.partitions())
                .singleElement()
                .satisfies(p -> assertThat(p.reasons())
                        .contains("nothing is archived: replicas were scrubbed, but the archive holds no segment"));
        assertThat(HtmlReport.render(report)).contains("NOT COMPLIANT", "nothing is archived");
    }
}
