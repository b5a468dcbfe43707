package dev.vigil.report;

import dev.vigil.core.PartitionId;
import dev.vigil.core.VigilVersion;
import dev.vigil.core.alert.RecordedAlert;
import dev.vigil.core.alert.RecordedAlerts;
import dev.vigil.core.repository.AcknowledgementCheck;
import dev.vigil.core.repository.DrillRecord;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.UnreadableDocuments;
import dev.vigil.core.store.ObjectLockStatus;
import dev.vigil.core.store.ObjectStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;

/**
 * Builds a compliance report from what the repository proves, never from what a daemon remembers: archived
 * segments and their store times (coverage, lag), the verification state, verdicts, restore drills, snapshots,
 * and the alerts recorded in the period (findings). A report can therefore be built on any machine that can read
 * the repository, and built again later with the same answer for the same period. Thread safe (no state between
 * builds).
 */
public final class ReportBuilder {

    private static final DateTimeFormatter ID =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final ObjectStore store;
    private final Repository repository;
    private final ReportRequirements requirements;
    private final Clock clock;
    private final LagCheck lagCheck;
    private final ReplicaCheck replicaCheck;
    private final RestorableCheck restorableCheck;
    private final AcknowledgementCheck acknowledgementCheck;

    /** A builder that counts every acknowledgement as the claim it is ({@link AcknowledgementCheck#UNCHECKED}). */
    public ReportBuilder(Repository repository, ReportRequirements requirements, Clock clock) {
        this(repository, requirements, clock, AcknowledgementCheck.UNCHECKED);
    }

    /** {@code acknowledgementCheck}: which acknowledgements count (by their operators' signatures). */
    public ReportBuilder(
            Repository repository,
            ReportRequirements requirements,
            Clock clock,
            AcknowledgementCheck acknowledgementCheck) {
        this.acknowledgementCheck = acknowledgementCheck;
        this.store = repository.store();
        this.repository = repository;
        this.requirements = requirements;
        this.clock = clock;
        this.lagCheck = new LagCheck(store, requirements);
        this.replicaCheck = new ReplicaCheck(requirements);
        this.restorableCheck = new RestorableCheck(store, requirements);
    }

    /**
     * The report for the {@code period} up to now.
     *
     * @throws IOException when the repository cannot be read, or an object the report needs is damaged (named)
     */
    public ComplianceReport build(Duration period) throws IOException {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("a report period must be positive, was " + period);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant start = now.minus(period);
        // A damaged or too-new document is a finding about that document; the report goes on with everything else.
        UnreadableDocuments unreadable = new UnreadableDocuments();
        List<RecordedAlert> alerts = RecordedAlerts.between(store, start, now.plusMillis(1), unreadable);
        NavigableSet<PartitionId> ids = repository.partitionsWithArchiveOrScrubReports();
        Map<String, List<ComplianceReport.Acknowledged>> acknowledgements = CheckedAcknowledgements.of(
                repository.acknowledgementsByKey(unreadable), acknowledgementCheck, unreadable);

        List<PartitionEvidence> evidence = new ArrayList<>();
        for (PartitionId partition : ids) {
            evidence.add(PartitionEvidence.gather(repository, partition, alerts, acknowledgements, unreadable));
        }
        List<PartitionResult> partitions = new ArrayList<>();
        for (PartitionEvidence partition : evidence) {
            partitions.add(partition(partition, start, now));
        }

        Reasons repository = new Reasons();
        List<ComplianceReport.Finding> repositoryFindings = RepositoryFindings.of(alerts, evidence, acknowledgements);
        repositoryFindings.stream()
                .filter(ComplianceReport.Finding::blocking)
                .forEach(f -> repository.add(
                        Requirement.NO_OPEN_FINDINGS,
                        "repository: open " + f.type() + " finding " + f.id() + " since " + Human.time(f.openedAt())
                                + ": " + f.message()));
        if (partitions.isEmpty()) {
            repository.add(
                    Requirement.ARCHIVED_WITHOUT_GAPS,
                    "the repository holds no partition: nothing is archived or" + " verified");
        }
        Optional<DrillRecord> lastPassed = evidence.stream()
                .flatMap(e -> e.drills().stream())
                .filter(DrillRecord::passed)
                .max(Comparator.comparing(DrillRecord::time));
        if (!partitions.isEmpty()
                && lastPassed
                        .map(d -> d.time().isBefore(now.minus(requirements.drillEvery())))
                        .orElse(true)) {
            repository.add(
                    Requirement.RESTORE_DRILL,
                    "no restore drill passed within report.drill-every ("
                            + Human.duration(requirements.drillEvery()) + ")"
                            + lastPassed
                                    .map(d -> "; the last passed at " + Human.time(d.time()))
                                    .orElse("; none ever passed (vigil drill runs one now)"));
        }
        ObjectLockStatus lock = store.objectLock();
        if (requirements.objectLockRequired() && !lock.enabled()) {
            repository.add(Requirement.OBJECT_LOCK, "retention.object-lock is required but " + lock.description());
        }
        ComplianceReport.Encryption encryption = EncryptionCheck.check(store, requirements, start, now, repository);
        List<ComplianceReport.UnreadableDocument> unreadableDocuments = unreadable.all().stream()
                .map(u -> new ComplianceReport.UnreadableDocument(u.key(), u.reason()))
                .toList();
        unreadableDocuments.forEach(u -> repository.add(
                Requirement.EVIDENCE_READABLE,
                "cannot read " + u.key() + ": the report was built without it (" + u.reason() + ")"));
        List<String> reasons = new ArrayList<>(repository.texts());
        for (PartitionResult p : partitions) {
            p.compliance()
                    .reasons()
                    .forEach(r -> reasons.add("partition " + p.compliance().partition() + ": " + r));
        }
        List<ComplianceReport.RequirementCheck> checks = new ArrayList<>();
        for (Requirement requirement : Requirement.values()) {
            List<String> failures = new ArrayList<>(repository.failures(requirement, ""));
            for (PartitionResult p : partitions) {
                failures.addAll(p.reasons()
                        .failures(requirement, "partition " + p.compliance().partition() + ": "));
            }
            checks.add(new ComplianceReport.RequirementCheck(
                    requirement.name(),
                    requirement.description(),
                    requirement.setting(),
                    value(requirement, lock),
                    failures.isEmpty(),
                    failures));
        }
        List<ComplianceReport.PartitionCompliance> compliances =
                partitions.stream().map(PartitionResult::compliance).toList();
        ComplianceReport.ObjectLock objectLock = new ComplianceReport.ObjectLock(
                lock.available(), lock.enabled(), lock.description(), requirements.objectLockRequired());
        return new ComplianceReport(
                "compliance-" + ID.format(now),
                now,
                start,
                store.describe(),
                VigilVersion.version(),
                requirements,
                checks,
                reasons.isEmpty(),
                reasons,
                repository.texts(),
                ReportTotals.of(compliances, repositoryFindings, evidence, start, lastPassed),
                objectLock,
                repositoryFindings,
                compliances,
                unreadableDocuments,
                encryption);
    }

    /** A requirement's configured value, in words. */
    private String value(Requirement requirement, ObjectLockStatus lock) {
        return switch (requirement) {
            case ARCHIVED_WITHOUT_GAPS, NO_OPEN_FINDINGS, EVIDENCE_READABLE -> "always";
            case ARCHIVE_LAG -> Human.duration(requirements.rpo());
            case VERIFIED_CLEAN -> Human.duration(requirements.maxVerificationAge());
            case RESTORE_DRILL -> Human.duration(requirements.drillEvery());
            case RESTORABLE_WINDOW -> Human.duration(requirements.retentionWindow());
            case OBJECT_LOCK ->
                requirements.objectLockRequired()
                        ? "required (" + lock.description() + ")"
                        : "not required (" + lock.description() + ")";
            case ENCRYPTED_AT_REST ->
                requirements.encryption() != null
                        ? "required (" + requirements.encryption() + ")"
                        : "not configured (no encryption: section)";
        };
    }

    /** A partition's compliance and the reasons behind it, by requirement. */
    private record PartitionResult(ComplianceReport.PartitionCompliance compliance, Reasons reasons) {}

    private PartitionResult partition(PartitionEvidence evidence, Instant start, Instant now) throws IOException {
        Reasons reasons = new Reasons();
        ComplianceReport.Coverage coverage = CoverageCheck.check(evidence.segments(), reasons);
        ComplianceReport.Lag lag = lagCheck.check(evidence, coverage, start, now, reasons);
        List<ComplianceReport.Finding> findings = FindingResolver.resolve(evidence);
        ReplicaCheck.Result replicas = replicaCheck.check(evidence, findings, start, now, reasons);
        findings.stream()
                .filter(ComplianceReport.Finding::blocking)
                .forEach(f -> reasons.add(
                        Requirement.NO_OPEN_FINDINGS,
                        "open " + f.type() + " finding " + f.id() + " (" + f.subject() + ") since "
                                + Human.time(f.openedAt())));

        ComplianceReport.Restorable restorable = restorableCheck.check(evidence, coverage, now, reasons);
        List<ComplianceReport.Drill> drills = evidence.drills().stream()
                .filter(d -> !d.time().isBefore(start))
                .map(ReportBuilder::drill)
                .toList();
        Optional<ComplianceReport.Drill> lastDrill = evidence.drills().stream()
                .max(Comparator.comparing(DrillRecord::time))
                .map(ReportBuilder::drill);
        Optional<Long> lastSnapshot = evidence.snapshots().keySet().stream().max(Long::compare);
        return new PartitionResult(
                new ComplianceReport.PartitionCompliance(
                        evidence.partition(),
                        reasons.isEmpty(),
                        reasons.texts(),
                        reasons.failed().stream().map(Requirement::name).toList(),
                        coverage,
                        lag,
                        replicas.replicas(),
                        replicas.fullyVerified(),
                        findings,
                        drills,
                        lastDrill,
                        restorable,
                        lastSnapshot),
                reasons);
    }

    private static ComplianceReport.Drill drill(DrillRecord d) {
        return new ComplianceReport.Drill(d.time(), d.lsn(), d.passed(), d.durationMillis(), d.error());
    }
}
