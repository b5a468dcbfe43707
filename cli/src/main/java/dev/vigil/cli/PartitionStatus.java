package dev.vigil.cli;

import dev.vigil.core.PartitionId;
import dev.vigil.core.repository.ArchivedRanges;
import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.repository.Continuity;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectSummary;
import dev.vigil.reference.Verdict;
import dev.vigil.report.ComplianceReport;
import dev.vigil.reference.Verdicts;
import dev.vigil.reference.snapshot.Snapshots;
import dev.vigil.restore.RestorableRange;
import dev.vigil.restore.RestoreDrill;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the repository says about one partition, and what of it needs an operator's attention: what {@code vigil
 * status} prints.
 *
 * @param archivedFrom  the first archived LSN
 * @param archivedTo    the end of the contiguous run of archived LSNs from there
 * @param gaps          LSN ranges missing between archived segments
 * @param lastArchivedAt when the newest archived segment was stored (ISO-8601)
 * @param restorable    every LSN that can be restored now, if any
 * @param lag           archive lag over the report period (without the chart's points)
 * @param openFindings  problems raised and not resolved by later evidence
 * @param attention     one line per unmet requirement (a compliance report's reasons); empty when all is well
 */
record PartitionStatus(String partition, long archivedFrom, long archivedTo, List<String> gaps, String lastArchivedAt,
                       long secondsSinceLastArchived, Optional<Long> lastSnapshotLsn, Optional<RestorableRange> restorable,
                       List<ReplicaStatus> replicas, Optional<RestoreDrill.DrillRecord> lastDrill, Lag lag,
                       List<ComplianceReport.Finding> openFindings, List<String> attention) {

    /** Archive lag figures: the newest segment's, and the maximum and p99 over the period. */
    record Lag(Double newestSeconds, double maxSeconds, double p99Seconds, int segments) {
        static Lag of(ComplianceReport.Lag lag) {
            return new Lag(lag.points().isEmpty() ? null : lag.points().getLast().lagSeconds(), lag.maxSeconds(),
                    lag.p99Seconds(), lag.segments());
        }
    }

    /** A replica's last scrub report and last verdict. */
    record ReplicaStatus(String replica, long lastScrubLsn, Optional<Verdict> lastVerdict) {
    }

    /**
     * Reads the partition's archive, snapshots, scrub reports, verdicts and drills (which must have an archive); what
     * needs attention, the lag and the open findings come from {@code compliance}, the partition's part of a report
     * built now.
     */
    static PartitionStatus of(ObjectStore store, Snapshots snapshots, PartitionId partition, Instant now,
                              ComplianceReport.PartitionCompliance compliance) throws IOException {
        List<ArchivedSegment> segments = ArchivedRanges.list(store, partition).segments();
        long first = segments.getFirst().range().first();
        Instant newest = segments.stream().map(ArchivedSegment::lastModified).max(Instant::compareTo).orElseThrow();
        List<String> gaps = Continuity.analyse(segments).gaps().stream().map(g -> g.missing().toString()).toList();
        List<Long> committed = snapshots.list(partition).stream().map(Snapshots.SnapshotRef::lsn).toList();
        Map<String, Verdict> verdicts = Verdicts.latestPerReplica(store, partition);
        List<ReplicaStatus> replicas = new ArrayList<>();
        lastScrubs(store, partition).forEach((replica, lsn) ->
                replicas.add(new ReplicaStatus(replica, lsn, Optional.ofNullable(verdicts.get(replica)))));
        List<RestoreDrill.DrillRecord> drills = RestoreDrill.records(store, partition);
        return new PartitionStatus(partition.value(), first, Continuity.contiguousEnd(segments, first), gaps, newest.toString(),
                Duration.between(newest, now).toSeconds(),
                committed.isEmpty() ? Optional.empty() : Optional.of(committed.getLast()),
                RestorableRange.of(segments, committed), replicas,
                drills.isEmpty() ? Optional.empty() : Optional.of(drills.getLast()), Lag.of(compliance.lag()),
                compliance.findings().stream().filter(ComplianceReport.Finding::open).toList(), compliance.reasons());
    }

    private static Map<String, Long> lastScrubs(ObjectStore store, PartitionId partition) throws IOException {
        Map<String, Long> last = new TreeMap<>();
        try {
            for (Iterator<ObjectSummary> it = store.listAll(RepositoryLayout.scrubPrefix(partition)); it.hasNext(); ) {
                RepositoryLayout.parseScrubKey(it.next().key()).ifPresent(k -> last.merge(k.replica().value(), k.lsn(), Math::max));
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return last;
    }
}
