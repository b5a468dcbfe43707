package dev.vigil.cli;

import dev.vigil.core.PartitionId;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.repository.ArchivedRanges;
import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.repository.Continuity;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectSummary;
import dev.vigil.reference.Verdict;
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
 * @param attention     one line per problem; empty when all is well
 */
record PartitionStatus(String partition, long archivedFrom, long archivedTo, List<String> gaps, String lastArchivedAt,
                       long secondsSinceLastArchived, Optional<Long> lastSnapshotLsn, Optional<RestorableRange> restorable,
                       List<ReplicaStatus> replicas, Optional<RestoreDrill.DrillRecord> lastDrill, List<String> attention) {

    /** A replica's last scrub report and last verdict. */
    record ReplicaStatus(String replica, long lastScrubLsn, Optional<Verdict> lastVerdict) {
    }

    /** Reads the partition's archive, snapshots, scrub reports, verdicts and drills (which must have an archive). */
    static PartitionStatus of(ObjectStore store, Snapshots snapshots, VigilConfig config, PartitionId partition, Instant now)
            throws IOException {
        List<String> attention = new ArrayList<>();
        List<ArchivedSegment> segments = ArchivedRanges.list(store, partition).segments();
        long first = segments.getFirst().range().first();
        Instant newest = segments.stream().map(ArchivedSegment::lastModified).max(Instant::compareTo).orElseThrow();
        List<String> gaps = Continuity.analyse(segments).gaps().stream().map(g -> g.missing().toString()).toList();
        gaps.forEach(g -> attention.add("archive gap " + g));
        List<Long> committed = snapshots.list(partition).stream().map(Snapshots.SnapshotRef::lsn).toList();
        Optional<RestorableRange> restorable = RestorableRange.of(segments, committed);
        if (restorable.isEmpty()) {
            attention.add("nothing is restorable: the archive starts at LSN " + first + " and no snapshot covers LSN "
                    + (first - 1) + " or later");
        }

        Map<String, Verdict> verdicts = Verdicts.latestPerReplica(store, partition);
        List<ReplicaStatus> replicas = new ArrayList<>();
        lastScrubs(store, partition).forEach((replica, lsn) -> {
            Optional<Verdict> verdict = Optional.ofNullable(verdicts.get(replica));
            verdict.filter(v -> v.status() != Verdict.Status.CLEAN).ifPresent(v -> attention.add("replica " + replica
                    + ": " + v.status() + " at LSN " + v.lsn() + " (" + v.totalDifferences() + " key(s))"));
            if (verdict.isEmpty() || Duration.between(Instant.parse(verdict.get().judgedAt()), now)
                    .compareTo(config.report().maxVerificationAge()) > 0) {
                attention.add("replica " + replica + ": no verdict within report.max-verification-age ("
                        + config.report().maxVerificationAge() + ")");
            }
            replicas.add(new ReplicaStatus(replica, lsn, verdict));
        });

        List<RestoreDrill.DrillRecord> drills = RestoreDrill.records(store, partition);
        Optional<RestoreDrill.DrillRecord> drill = drills.isEmpty() ? Optional.empty() : Optional.of(drills.getLast());
        drill.filter(d -> !d.passed()).ifPresent(d -> attention.add("last restore drill failed: " + d.error()));
        return new PartitionStatus(partition.value(), first, Continuity.contiguousEnd(segments, first), gaps, newest.toString(),
                Duration.between(newest, now).toSeconds(),
                committed.isEmpty() ? Optional.empty() : Optional.of(committed.getLast()), restorable, replicas, drill,
                attention);
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
