package dev.vigil.cli;

import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.repository.Verdict;
import dev.vigil.report.ComplianceReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What {@code vigil status} prints about one partition: a compact view of the partition's part of a compliance report
 * built now (no reading of its own, so status and reports cannot disagree).
 *
 * @param archivedFrom   the first archived LSN (0 when nothing is archived)
 * @param archivedTo     the end of the contiguous run of archived LSNs from there
 * @param gaps           LSN ranges missing between archived segments
 * @param lastArchivedAt when the newest archived segment was stored (ISO-8601); {@code null} when none is
 * @param restorable     the LSNs that can be restored now and whether they cover the retention window
 * @param lag            archive lag over the report period (without the chart's points)
 * @param openFindings   problems raised and not resolved by later evidence
 * @param attention      one line per unmet requirement (the report's reasons), and the fleet's verification when it
 *                       needs attention; empty when all is well
 * @param fleet          the partition's verification by the fleet, with a {@code fleet:} section
 */
record PartitionStatus(
        PartitionId partition,
        long archivedFrom,
        long archivedTo,
        List<String> gaps,
        @Nullable Instant lastArchivedAt,
        @Nullable Long secondsSinceLastArchived,
        Optional<Long> lastSnapshotLsn,
        ComplianceReport.Restorable restorable,
        List<ReplicaStatus> replicas,
        Optional<ComplianceReport.Drill> lastDrill,
        Lag lag,
        List<ComplianceReport.Finding> openFindings,
        List<String> attention,
        @Nullable FleetVerification fleet) {

    /** This status with the fleet's view of the partition (an ATTENTION line when it needs one). */
    PartitionStatus withFleet(FleetVerification verification) {
        List<String> lines = new ArrayList<>(attention);
        if (verification.needsAttention()) {
            lines.add((verification.overdue() ? "verification overdue: " : "verification ") + verification.why());
        }
        return new PartitionStatus(
                partition,
                archivedFrom,
                archivedTo,
                gaps,
                lastArchivedAt,
                secondsSinceLastArchived,
                lastSnapshotLsn,
                restorable,
                replicas,
                lastDrill,
                lag,
                openFindings,
                List.copyOf(lines),
                verification);
    }

    /** Archive lag figures: the newest segment's, and the maximum and p99 over the period. */
    record Lag(@Nullable Double newestSeconds, double maxSeconds, double p99Seconds, int segments) {
        static Lag of(ComplianceReport.Lag lag) {
            return new Lag(
                    lag.points().isEmpty() ? null : lag.points().getLast().lagSeconds(),
                    lag.maxSeconds(),
                    lag.p99Seconds(),
                    lag.segments());
        }
    }

    /** A replica's last scrub report and latest verdict ({@code null}s when it has none yet). */
    record ReplicaStatus(
            ReplicaId replica,
            long lastScrubLsn,
            Verdict.@Nullable Status lastVerdictStatus,
            @Nullable Long lastVerdictLsn,
            @Nullable Instant lastVerdictAt) {}

    static PartitionStatus of(ComplianceReport.PartitionCompliance p, Instant now) {
        ComplianceReport.Coverage coverage = p.coverage();
        long archivedTo =
                coverage.ranges().isEmpty() ? 0 : coverage.ranges().getFirst().last();
        List<String> gaps = coverage.gaps().stream()
                .map(g -> "[" + g.first() + ".." + g.last() + "]")
                .toList();
        Long since = coverage.lastStoredAt() == null
                ? null
                : Duration.between(coverage.lastStoredAt(), now).toSeconds();
        List<ReplicaStatus> replicas = p.replicas().stream()
                .map(r -> new ReplicaStatus(
                        r.replica(), r.lastScrubLsn(), r.lastVerdictStatus(), r.lastVerdictLsn(), r.lastVerdictAt()))
                .toList();
        return new PartitionStatus(
                p.partition(),
                coverage.firstLsn(),
                archivedTo,
                gaps,
                coverage.lastStoredAt(),
                since,
                p.lastSnapshotLsn(),
                p.restorable(),
                replicas,
                p.lastDrill(),
                Lag.of(p.lag()),
                p.findings().stream().filter(ComplianceReport.Finding::open).toList(),
                p.reasons(),
                null);
    }
}
