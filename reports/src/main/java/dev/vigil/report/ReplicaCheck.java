package dev.vigil.report;

import dev.vigil.core.ReplicaId;
import dev.vigil.core.repository.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link Requirement#VERIFIED_CLEAN}: each replica's verification, from its verdicts: the latest, the latest clean one
 * and its age against {@code report.max-verification-age}, the verdicts of the period, and its findings.
 */
final class ReplicaCheck {

    private final ReportRequirements requirements;

    ReplicaCheck(ReportRequirements requirements) {
        this.requirements = requirements;
    }

    /**
     * The replicas' verification.
     *
     * @param fullyVerified every replica's latest verdict is clean, and was given in the period
     */
    record Result(List<ComplianceReport.ReplicaVerification> replicas, boolean fullyVerified) {
        Result {
            replicas = List.copyOf(replicas);
        }
    }

    /** A replica never scrubbed, not clean at its latest verdict, or not verified clean recently enough is a reason. */
    Result check(
            PartitionEvidence evidence,
            List<ComplianceReport.Finding> findings,
            Instant start,
            Instant now,
            Reasons reasons) {
        List<ComplianceReport.ReplicaVerification> replicas = replicas(evidence, findings, start, now);
        if (replicas.isEmpty()) {
            reasons.add(
                    Requirement.VERIFIED_CLEAN,
                    "no replica has ever published a scrub report: nothing proves the" + " replicas are intact");
        }
        for (ComplianceReport.ReplicaVerification replica : replicas) {
            if (replica.lastVerdictStatus() != null && replica.lastVerdictStatus() != Verdict.Status.CLEAN) {
                reasons.add(
                        Requirement.VERIFIED_CLEAN,
                        "replica " + replica.replica() + ": its latest verdict is " + replica.lastVerdictStatus()
                                + " at LSN " + replica.lastVerdictLsn());
            }
            if (!replica.withinMaxAge()) {
                reasons.add(
                        Requirement.VERIFIED_CLEAN,
                        "replica " + replica.replica() + ": "
                                + (replica.lastCleanAt() == null || replica.secondsSinceVerified() == null
                                        ? "never verified clean"
                                        : "last verified clean "
                                                + Human.duration(Duration.ofSeconds(replica.secondsSinceVerified()))
                                                + " ago, at " + Human.time(replica.lastCleanAt()))
                                + " (report.max-verification-age " + Human.duration(requirements.maxVerificationAge())
                                + ")");
            }
        }
        boolean fullyVerified = !replicas.isEmpty()
                && replicas.stream()
                        .allMatch(r -> r.cleanInPeriod() > 0 && r.lastVerdictStatus() == Verdict.Status.CLEAN);
        return new Result(replicas, fullyVerified);
    }

    private List<ComplianceReport.ReplicaVerification> replicas(
            PartitionEvidence evidence, List<ComplianceReport.Finding> findings, Instant start, Instant now) {
        List<ComplianceReport.ReplicaVerification> replicas = new ArrayList<>();
        for (Map.Entry<ReplicaId, Long> scrubbed : evidence.lastScrubLsn().entrySet()) {
            ReplicaId replica = scrubbed.getKey();
            List<Verdict> own = evidence.verdicts().stream()
                    .filter(v -> v.replica().equals(replica))
                    .toList();
            Optional<Verdict> last = own.stream().max(Comparator.comparingLong(Verdict::lsn));
            Optional<Verdict> lastClean = own.stream()
                    .filter(v -> v.status() == Verdict.Status.CLEAN)
                    .max(Comparator.comparing(v -> v.judgedAt()));
            Long age = lastClean
                    .map(v -> Duration.between(v.judgedAt(), now).toSeconds())
                    .orElse(null);
            List<Verdict> inPeriod =
                    own.stream().filter(v -> !v.judgedAt().isBefore(start)).toList();
            replicas.add(new ComplianceReport.ReplicaVerification(
                    replica,
                    scrubbed.getValue(),
                    last.map(Verdict::status).orElse(null),
                    last.map(Verdict::lsn).orElse(null),
                    last.map(Verdict::judgedAt).orElse(null),
                    lastClean.map(Verdict::judgedAt).orElse(null),
                    lastClean.map(Verdict::lsn).orElse(null),
                    age,
                    age != null && age <= requirements.maxVerificationAge().toSeconds(),
                    inPeriod.size(),
                    (int) inPeriod.stream()
                            .filter(v -> v.status() == Verdict.Status.CLEAN)
                            .count(),
                    (int) findings.stream()
                            .filter(ComplianceReport.Finding::blocking)
                            .filter(f -> replica.equals(f.replica()))
                            .count(),
                    (int) findings.stream()
                            .filter(ComplianceReport.Finding::acknowledgedOpen)
                            .filter(f -> replica.equals(f.replica()))
                            .count(),
                    findings.stream()
                            .filter(ComplianceReport.Finding::open)
                            .filter(f -> replica.equals(f.replica()))
                            .map(ComplianceReport.Finding::type)
                            .distinct()
                            .toList()));
        }
        return replicas;
    }
}
