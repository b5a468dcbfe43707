package dev.vigil.report;

import dev.vigil.core.LsnRange;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.alert.AlertType;
import dev.vigil.core.alert.RecordedAlert;
import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.repository.Continuity;
import dev.vigil.core.repository.DrillRecord;
import dev.vigil.core.repository.FindingIds;
import dev.vigil.core.repository.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the alerts recorded for a partition into findings, and decides from later evidence in the repository
 * whether each was resolved: an alert says a problem was seen; only a later proof says it went away. Repeats of
 * one alert (same key) are one finding, opened at the first. The rules, by alert type:
 * <ul>
 * <li>a replica's divergence or no majority: resolved by a later {@code CLEAN} verdict for that replica;
 * <li>a replica's bit rot: resolved by a scrub report of that replica stored after it, judged {@code CLEAN};
 * <li>a damaged archived object: resolved when that object was verified intact after the alert;
 * <li>an archive gap, or a corrupt local segment: resolved when the archive now covers those LSNs;
 * <li>a failed restore drill: resolved by a later passed drill of the partition;
 * <li>archive lag, an unreadable node directory: resolved when a segment of the partition was archived after it;
 * <li>a damaged snapshot: resolved when a newer snapshot was committed after it;
 * <li>a WAL divergence or an inconsistent archive: never by itself: an operator must explain it (it stays open
 *     for the period in which it was raised).
 * </ul>
 * Stateless.
 */
final class FindingResolver {

    private FindingResolver() {}

    static List<ComplianceReport.Finding> resolve(PartitionEvidence evidence) {
        Map<String, List<RecordedAlert>> episodes = new LinkedHashMap<>();
        for (RecordedAlert alert : evidence.alerts()) {
            // A resolved notification ends an incident; it is not a finding of its own (the rules below decide from
            // the repository's evidence whether the finding it came from was resolved).
            if (!alert.isResolution() && alert.type() != AlertType.COMPLIANCE_FAILED) {
                episodes.computeIfAbsent(episode(alert), k -> new ArrayList<>()).add(alert);
            }
        }
        List<ComplianceReport.Finding> findings = new ArrayList<>();
        for (List<RecordedAlert> alerts : episodes.values()) {
            RecordedAlert first = alerts.getFirst();
            // A problem confirmed again is judged from its latest confirmation: only evidence after that resolves it.
            Optional<Resolution> resolution = resolution(alerts.getLast(), evidence);
            findings.add(acknowledge(
                    new ComplianceReport.Finding(
                            FindingIds.of(evidence.partition().value(), episode(first)),
                            first.type(),
                            first.severity(),
                            first.replicaId().orElse(null),
                            subject(first, alerts.getLast()),
                            first.time(),
                            alerts.size(),
                            resolution.map(Resolution::at).orElse(null),
                            resolution.map(Resolution::evidence).orElse(openBecause(first)),
                            first.message(),
                            List.of()),
                    evidence.acknowledgements()));
        }
        return findings;
    }

    /**
     * The finding with its operators' acknowledgements, oldest first: those given at or after the finding opened (an
     * acknowledgement explains what had happened by then, not a problem that appears again later).
     */
    static ComplianceReport.Finding acknowledge(
            ComplianceReport.Finding finding, Map<String, List<ComplianceReport.Acknowledged>> acks) {
        Instant opened = finding.openedAt();
        List<ComplianceReport.Acknowledged> given = acks.getOrDefault(finding.id(), List.of()).stream()
                .filter(ack -> !ack.at().isBefore(opened))
                .toList();
        return given.isEmpty() ? finding : finding.acknowledged(given);
    }

    /**
     * Alerts about one problem: a replica found diverged (or rotten) at one LSN and again at the next scrub is one
     * problem until a clean verdict ends it; any other alert is its own problem, by its key.
     */
    private static String episode(RecordedAlert alert) {
        return switch (alert.type()) {
            case REPLICA_DIVERGED, NO_MAJORITY, ARCHIVE_DIVERGED, REPLICA_BIT_ROT ->
                alert.type() + "|" + alert.replicaId().map(ReplicaId::value).orElse("");
            default -> alert.key();
        };
    }

    /** When and by what evidence a finding was resolved. */
    record Resolution(Instant at, String evidence) {}

    private static Optional<Resolution> resolution(RecordedAlert alert, PartitionEvidence evidence) {
        Instant opened = alert.time();
        return switch (alert.type()) {
            case REPLICA_DIVERGED, NO_MAJORITY, ARCHIVE_DIVERGED -> laterCleanVerdict(alert, evidence, opened);
            case REPLICA_BIT_ROT -> laterCleanScrub(alert, evidence, opened);
            case ARCHIVE_CORRUPT, ARCHIVE_VERIFY_FAILED ->
                Optional.ofNullable(alert.details().get("object"))
                        .flatMap(object -> evidence.verification()
                                .entry(object)
                                .filter(e -> e.verifiedAt().isAfter(opened))
                                .map(e -> new Resolution(
                                        e.verifiedAt(), object + " verified intact at " + Human.time(e.verifiedAt()))));
            case ARCHIVE_GAP, SEGMENT_CORRUPT -> range(alert).flatMap(range -> covered(evidence.segments(), range));
            case RESTORE_DRILL_FAILED ->
                evidence.drills().stream()
                        .filter(d -> d.passed() && d.time().isAfter(opened))
                        .min(Comparator.comparing(DrillRecord::time))
                        .map(d -> new Resolution(d.time(), "restore drill at LSN " + d.lsn() + " passed"));
            case ARCHIVE_LAG, NODE_UNREADABLE ->
                evidence.segments().stream()
                        .filter(s -> s.lastModified().isAfter(opened))
                        .min(Comparator.comparing(ArchivedSegment::lastModified))
                        .map(s -> new Resolution(s.lastModified(), s.key() + " archived"));
            case SNAPSHOT_CORRUPT, SNAPSHOT_MISMATCH ->
                evidence.snapshots().entrySet().stream()
                        .filter(e -> e.getValue().isAfter(opened))
                        .min(Map.Entry.comparingByValue())
                        .map(e -> new Resolution(e.getValue(), "snapshot at LSN " + e.getKey() + " committed"));
            case WAL_DIVERGENCE,
                    ARCHIVE_INCONSISTENT,
                    STORE_UNAVAILABLE,
                    COMPLIANCE_FAILED,
                    JOB_FAILED,
                    FLEET_DATABASE_UNAVAILABLE,
                    REFERENCE_REBUILT,
                    KEYS_UNAVAILABLE,
                    REPOSITORY_TAMPERED -> Optional.empty();
        };
    }

    private static Optional<Resolution> laterCleanVerdict(
            RecordedAlert alert, PartitionEvidence evidence, Instant opened) {
        return evidence.verdicts().stream()
                .filter(v -> v.status() == Verdict.Status.CLEAN)
                .filter(v -> alert.replicaId().map(v.replica()::equals).orElse(true))
                .filter(v -> v.judgedAt().isAfter(opened))
                .filter(v -> alert.lastLsn() == null || v.lsn() > alert.lastLsn())
                .min(Comparator.comparing(Verdict::judgedAt))
                .map(v -> new Resolution(v.judgedAt(), "replica " + v.replica() + " verified CLEAN at LSN " + v.lsn()));
    }

    /**
     * Bit rot ends only with a scrub that read the replica's storage intact after it: a scrub that meets bit rot
     * publishes no report, so a report stored after the alert, judged CLEAN, is that proof. A CLEAN verdict on an
     * older report (judged after the alert, but read before the rot) proves nothing about the storage now.
     */
    private static Optional<Resolution> laterCleanScrub(
            RecordedAlert alert, PartitionEvidence evidence, Instant opened) {
        return evidence.scrubs().stream()
                .filter(s -> alert.replicaId().map(s.replica()::equals).orElse(true))
                .filter(s -> s.storedAt().isAfter(opened))
                .flatMap(s -> evidence.verdicts().stream()
                        .filter(v -> v.status() == Verdict.Status.CLEAN)
                        .filter(v -> v.replica().equals(s.replica()) && v.lsn() == s.lsn()))
                .min(Comparator.comparing(Verdict::judgedAt))
                .map(v -> new Resolution(
                        v.judgedAt(),
                        "replica " + v.replica() + " scrubbed again with its storage intact, and verified CLEAN at"
                                + " LSN " + v.lsn()));
    }

    private static Optional<Resolution> covered(List<ArchivedSegment> segments, LsnRange range) {
        List<LsnRange> coverage = Continuity.coverage(segments);
        if (!Continuity.covers(coverage, range)) {
            return Optional.empty();
        }
        Instant at = segments.stream()
                .filter(s -> s.range().last() >= range.first() && s.range().first() <= range.last())
                .map(ArchivedSegment::lastModified)
                .max(Instant::compareTo)
                .orElseThrow();
        return Optional.of(new Resolution(at, "the archive covers LSNs " + range));
    }

    private static Optional<LsnRange> range(RecordedAlert alert) {
        return alert.firstLsn() == null || alert.lastLsn() == null
                ? Optional.empty()
                : Optional.of(new LsnRange(alert.firstLsn(), alert.lastLsn()));
    }

    private static String subject(RecordedAlert first, RecordedAlert last) {
        List<String> parts = new ArrayList<>();
        first.replicaId().ifPresent(r -> parts.add("replica " + r));
        Optional.ofNullable(first.details().get("object")).ifPresent(parts::add);
        Optional<LsnRange> from = range(first);
        Optional<LsnRange> to = range(last);
        if (from.isPresent() && to.isPresent() && !from.equals(to)) {
            parts.add("LSNs " + from.get() + " to " + to.get());
        } else {
            from.ifPresent(r -> parts.add("LSNs " + r));
        }
        return parts.isEmpty() ? "partition" : String.join(", ", parts);
    }

    private static String openBecause(RecordedAlert alert) {
        return switch (alert.type()) {
            case WAL_DIVERGENCE, ARCHIVE_INCONSISTENT -> "open: needs an operator's explanation (see docs/alerts.md)";
            default -> "open: no later evidence in the repository resolves it";
        };
    }
}
