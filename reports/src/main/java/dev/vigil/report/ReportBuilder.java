package dev.vigil.report;

import dev.vigil.core.PartitionId;
import dev.vigil.core.VigilVersion;
import dev.vigil.core.alert.AlertType;
import dev.vigil.core.alert.RecordedAlert;
import dev.vigil.core.alert.RecordedAlerts;
import dev.vigil.core.repository.Acknowledgement;
import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.repository.Continuity;
import dev.vigil.core.repository.DrillRecord;
import dev.vigil.core.repository.FindingIds;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.RestorableRange;
import dev.vigil.core.repository.UnreadableDocuments;
import dev.vigil.core.repository.Verdict;
import dev.vigil.core.repository.VerificationState;
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
import java.util.Locale;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeMap;

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

    public ReportBuilder(ObjectStore store, ReportRequirements requirements, Clock clock) {
        this.store = store;
        this.repository = new Repository(store);
        this.requirements = requirements;
        this.clock = clock;
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
        Map<String, List<Acknowledgement>> acknowledgements = repository.acknowledgements(unreadable);

        List<PartitionEvidence> evidence = new ArrayList<>();
        for (PartitionId partition : ids) {
            evidence.add(PartitionEvidence.gather(repository, partition, alerts, acknowledgements, unreadable));
        }
        List<PartitionResult> partitions = new ArrayList<>();
        for (PartitionEvidence partition : evidence) {
            partitions.add(partition(partition, start, now));
        }

        Reasons repository = new Reasons();
        List<ComplianceReport.Finding> repositoryFindings = repositoryFindings(alerts, evidence, acknowledgements);
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
                        .map(d -> Instant.parse(d.time()).isBefore(now.minus(requirements.drillEvery())))
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
                now.toString(),
                start.toString(),
                store.describe(),
                VigilVersion.version(),
                requirements,
                checks,
                reasons.isEmpty(),
                reasons,
                repository.texts(),
                totals(compliances, repositoryFindings, evidence, start, lastPassed),
                objectLock,
                repositoryFindings,
                compliances,
                unreadableDocuments);
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
        };
    }

    /** A partition's compliance and the reasons behind it, by requirement. */
    private record PartitionResult(ComplianceReport.PartitionCompliance compliance, Reasons reasons) {}

    private PartitionResult partition(PartitionEvidence evidence, Instant start, Instant now) throws IOException {
        Reasons reasons = new Reasons();
        List<ArchivedSegment> segments = evidence.segments();
        ComplianceReport.Coverage coverage = coverage(segments);
        if (segments.isEmpty()) {
            reasons.add(
                    Requirement.ARCHIVED_WITHOUT_GAPS,
                    "nothing is archived: replicas were scrubbed, but the archive" + " holds no segment");
        }
        coverage.gaps()
                .forEach(g -> reasons.add(
                        Requirement.ARCHIVED_WITHOUT_GAPS,
                        "archive gap: LSNs " + g.first() + ".." + g.last() + " are missing"));

        ComplianceReport.Lag lag = lag(evidence, start, now);
        if (lag.measured() > 0 && lag.maxSeconds() > requirements.rpo().toMillis() / 1000.0) {
            reasons.add(
                    Requirement.ARCHIVE_LAG,
                    String.format(
                            Locale.ROOT,
                            "archive lag reached %.1f s (p99 %.1f s)," + " above archive.rpo (%s)",
                            lag.maxSeconds(),
                            lag.p99Seconds(),
                            Human.duration(requirements.rpo())));
        }
        stale(evidence, coverage, now).ifPresent(reason -> reasons.add(Requirement.ARCHIVE_LAG, reason));

        List<ComplianceReport.Finding> findings = FindingResolver.resolve(evidence);
        List<ComplianceReport.ReplicaVerification> replicas = replicas(evidence, findings, start, now);
        if (replicas.isEmpty()) {
            reasons.add(
                    Requirement.VERIFIED_CLEAN,
                    "no replica has ever published a scrub report: nothing proves the" + " replicas are intact");
        }
        for (ComplianceReport.ReplicaVerification replica : replicas) {
            if (replica.lastVerdictStatus() != null
                    && !Verdict.Status.CLEAN.name().equals(replica.lastVerdictStatus())) {
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
        // Fully verified: every replica's latest verdict is clean, and was given in the period.
        boolean fullyVerified = !replicas.isEmpty()
                && replicas.stream()
                        .allMatch(r -> r.cleanInPeriod() > 0
                                && Verdict.Status.CLEAN.name().equals(r.lastVerdictStatus()));

        findings.stream()
                .filter(ComplianceReport.Finding::blocking)
                .forEach(f -> reasons.add(
                        Requirement.NO_OPEN_FINDINGS,
                        "open " + f.type() + " finding " + f.id() + " (" + f.subject() + ") since "
                                + Human.time(f.openedAt())));

        ComplianceReport.Restorable restorable = restorable(evidence, coverage, now);
        if (!segments.isEmpty() && !restorable.meetsPolicy()) {
            reasons.add(Requirement.RESTORABLE_WINDOW, "restorable window: " + restorable.explanation());
        }
        List<ComplianceReport.Drill> drills = evidence.drills().stream()
                .filter(d -> !Instant.parse(d.time()).isBefore(start))
                .map(ReportBuilder::drill)
                .toList();
        Optional<ComplianceReport.Drill> lastDrill = evidence.drills().stream()
                .max(Comparator.comparing(DrillRecord::time))
                .map(ReportBuilder::drill);
        Optional<Long> lastSnapshot = evidence.snapshots().keySet().stream().max(Long::compare);
        return new PartitionResult(
                new ComplianceReport.PartitionCompliance(
                        evidence.partition().value(),
                        reasons.isEmpty(),
                        reasons.texts(),
                        reasons.failed().stream().map(Requirement::name).toList(),
                        coverage,
                        lag,
                        replicas,
                        fullyVerified,
                        findings,
                        drills,
                        lastDrill,
                        restorable,
                        lastSnapshot),
                reasons);
    }

    /**
     * An archive gone stale while the node keeps writing: a replica published a scrub report at an LSN beyond the
     * archive's end, so the records after the end were written by that report's store time at the latest, and have
     * waited at least since then. When that wait exceeds {@code archive.rpo}, the lag requirement fails even though no
     * segment was archived late (none was archived at all).
     */
    private Optional<String> stale(PartitionEvidence evidence, ComplianceReport.Coverage coverage, Instant now) {
        long end = coverage.lastLsn();
        return evidence.scrubs().stream()
                .filter(s -> s.lsn() > end)
                .min(Comparator.comparing(PartitionEvidence.ScrubSeen::storedAt))
                .filter(first -> Duration.between(first.storedAt(), now).compareTo(requirements.rpo()) > 0)
                .map(first -> "the archive is stale: replica " + first.replica() + " had applied LSN " + first.lsn()
                        + " by " + Human.time(first.storedAt())
                        + " (its scrub report), but the archive still ends at LSN "
                        + end
                        + (coverage.lastStoredAt() == null
                                ? " (nothing archived)"
                                : " (last stored " + Human.time(coverage.lastStoredAt()) + ")")
                        + ": records after it have waited at least "
                        + Human.duration(Duration.between(first.storedAt(), now)) + ", above archive.rpo ("
                        + Human.duration(requirements.rpo())
                        + "); check the node's daemon (vigil status, its /health)");
    }

    private static ComplianceReport.Drill drill(DrillRecord d) {
        return new ComplianceReport.Drill(d.time(), d.lsn(), d.passed(), d.durationMillis(), d.error());
    }

    private static ComplianceReport.Coverage coverage(List<ArchivedSegment> segments) {
        if (segments.isEmpty()) {
            return new ComplianceReport.Coverage(0, 0, List.of(), List.of(), 0, 0, null);
        }
        List<ComplianceReport.Range> ranges = Continuity.coverage(segments).stream()
                .map(r -> new ComplianceReport.Range(r.first(), r.last()))
                .toList();
        List<ComplianceReport.Range> gaps = Continuity.analyse(segments).gaps().stream()
                .map(g -> new ComplianceReport.Range(
                        g.missing().first(), g.missing().last()))
                .toList();
        long last = segments.stream().mapToLong(s -> s.range().last()).max().orElseThrow();
        return new ComplianceReport.Coverage(
                segments.getFirst().range().first(),
                last,
                ranges,
                gaps,
                segments.size(),
                segments.stream().mapToLong(ArchivedSegment::size).sum(),
                segments.stream()
                        .map(ArchivedSegment::lastModified)
                        .max(Instant::compareTo)
                        .orElseThrow()
                        .toString());
    }

    /**
     * For each segment first archived in the period: the time from its first record being written to it being
     * stored. A segment stored again after a repair counts with its first store time, which the verification state
     * remembers; the replacement's own time says when the repair happened, not how long the records waited.
     */
    private ComplianceReport.Lag lag(PartitionEvidence evidence, Instant start, Instant now) throws IOException {
        List<LagStatistics.Sample> samples = new ArrayList<>();
        int inPeriod = 0;
        int storedAgain = 0;
        for (ArchivedSegment segment : evidence.segments()) {
            Instant stored = evidence.verification()
                    .entry(segment.key())
                    .map(VerificationState.Entry::firstArchivedAt)
                    .map(Instant::parse)
                    .filter(first -> first.isBefore(segment.lastModified()))
                    .orElse(segment.lastModified());
            if (stored.isBefore(start) || stored.isAfter(now)) {
                continue;
            }
            inPeriod++;
            if (stored.isBefore(segment.lastModified())) {
                storedAgain++;
            }
            Optional<Instant> written = evidence.firstRecordTime(store, segment);
            if (written.isPresent()) {
                Duration lag = Duration.between(written.get(), stored);
                samples.add(new LagStatistics.Sample(stored, lag.isNegative() ? Duration.ZERO : lag));
            }
        }
        return LagStatistics.of(inPeriod, storedAgain, samples);
    }

    private List<ComplianceReport.ReplicaVerification> replicas(
            PartitionEvidence evidence, List<ComplianceReport.Finding> findings, Instant start, Instant now) {
        List<ComplianceReport.ReplicaVerification> replicas = new ArrayList<>();
        for (Map.Entry<String, Long> scrubbed : evidence.lastScrubLsn().entrySet()) {
            String replica = scrubbed.getKey();
            List<Verdict> own = evidence.verdicts().stream()
                    .filter(v -> v.replica().equals(replica))
                    .toList();
            Optional<Verdict> last = own.stream().max(Comparator.comparingLong(Verdict::lsn));
            Optional<Verdict> lastClean = own.stream()
                    .filter(v -> v.status() == Verdict.Status.CLEAN)
                    .max(Comparator.comparing(v -> Instant.parse(v.judgedAt())));
            Long age = lastClean
                    .map(v -> Duration.between(Instant.parse(v.judgedAt()), now).toSeconds())
                    .orElse(null);
            List<Verdict> inPeriod = own.stream()
                    .filter(v -> !Instant.parse(v.judgedAt()).isBefore(start))
                    .toList();
            replicas.add(new ComplianceReport.ReplicaVerification(
                    replica,
                    scrubbed.getValue(),
                    last.map(v -> v.status().name()).orElse(null),
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

    private ComplianceReport.Restorable restorable(
            PartitionEvidence evidence, ComplianceReport.Coverage coverage, Instant now) throws IOException {
        Instant requiredFrom = now.minus(requirements.retentionWindow());
        Optional<RestorableRange> range =
                RestorableRange.of(evidence.segments(), evidence.snapshots().keySet());
        if (range.isEmpty()) {
            return new ComplianceReport.Restorable(
                    null,
                    null,
                    null,
                    requiredFrom.toString(),
                    false,
                    "nothing can be restored: the archive does not start at LSN 1 and no snapshot covers its start");
        }
        long oldest = range.get().oldestLsn();
        long newest = range.get().newestLsn();
        Optional<Instant> oldestTime = oldest == 0 ? Optional.empty() : timeOfState(evidence, oldest);
        List<String> problems = new ArrayList<>();
        if (newest < coverage.lastLsn()) {
            problems.add("restores stop at LSN " + newest + ", but the archive holds LSNs up to " + coverage.lastLsn()
                    + " (a gap breaks the chain)");
        }
        if (oldest > 0 && oldestTime.map(t -> t.isAfter(requiredFrom)).orElse(true)) {
            problems.add("the oldest restorable point is LSN " + oldest
                    + oldestTime.map(t -> " (" + Human.time(t) + ")").orElse("")
                    + ", later than the " + Human.duration(requirements.retentionWindow())
                    + " retention.window requires ("
                    + Human.time(requiredFrom) + ")");
        }
        String explanation = problems.isEmpty()
                ? "every LSN from " + oldest
                        + (oldest == 0
                                ? " (the partition's beginning)"
                                : oldestTime
                                        .map(t -> " (" + Human.time(t) + ")")
                                        .orElse(""))
                        + " to " + newest + " is restorable, which covers the "
                        + Human.duration(requirements.retentionWindow()) + " window"
                : String.join("; ", problems);
        return new ComplianceReport.Restorable(
                oldest,
                newest,
                oldestTime.map(Instant::toString).orElse(null),
                requiredFrom.toString(),
                problems.isEmpty(),
                explanation);
    }

    /**
     * A time at which the partition's state was the one at {@code lsn}, or later: the first record time of the
     * segment holding {@code lsn + 1} (the state at {@code lsn} lasted until then), else the commit time of the
     * snapshot at {@code lsn}. Conservative: the window it implies is never wider than the truth.
     */
    private Optional<Instant> timeOfState(PartitionEvidence evidence, long lsn) throws IOException {
        for (ArchivedSegment segment : evidence.segments()) {
            if (segment.range().contains(lsn + 1)) {
                Optional<Instant> time = evidence.firstRecordTime(store, segment);
                if (time.isPresent()) {
                    return time;
                }
            }
        }
        return Optional.ofNullable(evidence.snapshots().get(lsn));
    }

    private static List<ComplianceReport.Finding> repositoryFindings(
            List<RecordedAlert> alerts, List<PartitionEvidence> evidence, Map<String, List<Acknowledgement>> acks) {
        Map<String, RecordedAlert> first = new TreeMap<>();
        Map<String, List<RecordedAlert>> resolutions = new TreeMap<>();
        alerts.stream()
                .filter(a -> a.partitionId().isEmpty()
                        && !AlertType.COMPLIANCE_FAILED.name().equals(a.type()))
                .forEach(a -> {
                    if (a.isResolution()) {
                        resolutions
                                .computeIfAbsent(a.key(), k -> new ArrayList<>())
                                .add(a);
                    } else {
                        first.putIfAbsent(a.key(), a);
                    }
                });
        List<ComplianceReport.Finding> findings = new ArrayList<>();
        for (RecordedAlert alert : first.values()) {
            // The condition's own end, as the process that raised it saw it (the alerts are in time order).
            Optional<RecordedAlert> ended = resolutions.getOrDefault(alert.key(), List.of()).stream()
                    .filter(r -> r.instant().isAfter(alert.instant()))
                    .reduce((a, b) -> b);
            // Else: the repository answered again after the alert (a segment was archived since): it is reachable.
            Optional<ArchivedSegment> later = evidence.stream()
                    .flatMap(e -> e.segments().stream())
                    .filter(s -> s.lastModified().isAfter(alert.instant()))
                    .min(Comparator.comparing(ArchivedSegment::lastModified));
            Optional<String> resolvedAt = ended.map(RecordedAlert::time)
                    .or(() -> later.map(s -> s.lastModified().toString()));
            String evidenceText = ended.map(r -> r.message().replaceFirst("^resolved: ", "ended: "))
                    .or(() -> later.map(s -> "the repository accepted " + s.key()))
                    .orElse("open: nothing was archived since");
            findings.add(FindingResolver.acknowledge(
                    new ComplianceReport.Finding(
                            FindingIds.of("", alert.key()),
                            alert.type(),
                            alert.severity(),
                            null,
                            alert.host() == null ? "repository" : "raised on " + alert.host(),
                            alert.time(),
                            1,
                            resolvedAt.orElse(null),
                            evidenceText,
                            alert.message(),
                            List.of()),
                    acks));
        }
        return findings;
    }

    private ComplianceReport.Totals totals(
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
                .filter(d -> !Instant.parse(d.time()).isBefore(start))
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
