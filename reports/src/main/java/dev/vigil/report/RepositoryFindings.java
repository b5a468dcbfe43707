package dev.vigil.report;

import dev.vigil.core.alert.AlertType;
import dev.vigil.core.alert.RecordedAlert;
import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.repository.FindingIds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The findings about the repository itself (alerts without a partition: the store unreachable, a job failing), each
 * with its end: the raiser's own resolution, else the next segment the repository accepted.
 */
final class RepositoryFindings {

    private RepositoryFindings() {}

    static List<ComplianceReport.Finding> of(
            List<RecordedAlert> alerts,
            List<PartitionEvidence> evidence,
            Map<String, List<ComplianceReport.Acknowledged>> acks) {
        Map<String, RecordedAlert> first = new TreeMap<>();
        Map<String, List<RecordedAlert>> resolutions = new TreeMap<>();
        alerts.stream()
                .filter(a -> a.partitionId().isEmpty() && a.type() != AlertType.COMPLIANCE_FAILED)
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
                    .filter(r -> r.time().isAfter(alert.time()))
                    .reduce((a, b) -> b);
            // Else: the repository answered again after the alert (a segment was archived since): it is reachable.
            // (Not for keys or tampering: archiving goes on while objects stay undecryptable or forged; only the
            // check's own resolution ends them.)
            Optional<ArchivedSegment> later =
                    alert.type() == AlertType.KEYS_UNAVAILABLE || alert.type() == AlertType.REPOSITORY_TAMPERED
                            ? Optional.empty()
                            : evidence.stream()
                                    .flatMap(e -> e.segments().stream())
                                    .filter(s -> s.lastModified().isAfter(alert.time()))
                                    .min(Comparator.comparing(ArchivedSegment::lastModified));
            Optional<Instant> resolvedAt =
                    ended.map(RecordedAlert::time).or(() -> later.map(ArchivedSegment::lastModified));
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
}
