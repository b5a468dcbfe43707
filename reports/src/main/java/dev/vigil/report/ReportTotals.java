package dev.vigil.report;

import dev.vigil.core.repository.DrillRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The report's totals: partitions, replicas, findings and drills, counted over what the partitions say. */
final class ReportTotals {

    private ReportTotals() {}

    static ComplianceReport.Totals of(
            List<ComplianceReport.PartitionCompliance> partitions,
            List<ComplianceReport.Finding> repositoryFindings,
            List<PartitionEvidence> evidence,
            Instant start,
            Optional<DrillRecord> lastPassed) {
        List<ComplianceReport.Finding> all = new ArrayList<>(repositoryFindings);
        partitions.forEach(p -> all.addAll(p.findings()));
        int fully = (int) partitions.stream()
                .filter(ComplianceReport.PartitionCompliance::fullyVerified)
                .count();
        List<DrillRecord> drills = evidence.stream()
                .flatMap(e -> e.drills().stream())
                .filter(d -> !d.time().isBefore(start))
                .toList();
        return new ComplianceReport.Totals(
                partitions.size(),
                (int) partitions.stream()
                        .filter(ComplianceReport.PartitionCompliance::compliant)
                        .count(),
                fully,
                partitions.isEmpty() ? 0 : (double) fully / partitions.size(),
                partitions.stream().mapToInt(p -> p.replicas().size()).sum(),
                (int) partitions.stream()
                        .flatMap(p -> p.replicas().stream())
                        .filter(ComplianceReport.ReplicaVerification::withinMaxAge)
                        .count(),
                (int) partitions.stream()
                        .flatMap(p -> p.replicas().stream())
                        .filter(ComplianceReport.ReplicaVerification::healthy)
                        .count(),
                all.size(),
                (int) all.stream().filter(f -> !f.open()).count(),
                (int) all.stream()
                        .filter(ComplianceReport.Finding::acknowledgedOpen)
                        .count(),
                (int) all.stream().filter(ComplianceReport.Finding::blocking).count(),
                (int) drills.stream().filter(DrillRecord::passed).count(),
                (int) drills.stream().filter(d -> !d.passed()).count(),
                lastPassed.map(DrillRecord::time).orElse(null));
    }
}
