package dev.vigil.reference;

import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.digest.Digest;
import dev.vigil.core.repository.PublishedScrub;
import dev.vigil.core.repository.ReportAt;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.ScrubEvidence;
import dev.vigil.core.repository.ScrubReport;
import dev.vigil.core.repository.SketchRead;
import dev.vigil.core.sketch.DifferenceSketch;
import dev.vigil.core.sketch.SketchShape;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The scrub reports of a partition a judge must judge, grouped by LSN: at every LSN where at least one complete
 * report has no verdict yet (and belongs to the replica this judge speaks for, if it speaks for one), every complete
 * report at that LSN, read (summary and digest), because every replica's digest takes part in the classification.
 * Incomplete reports (a scrubber died between its two objects) are ignored. Immutable.
 */
record PendingReports(NavigableMap<Long, Map<ReplicaId, Pending>> byLsn) {

    /** A scrub report at an LSN being judged, with its decoded digest; {@code toJudge} when this run writes its verdict. */
    record Pending(ScrubReport report, Digest digest, SketchRead sketch, boolean toJudge) {}

    PendingReports {
        byLsn = new TreeMap<>(byLsn);
    }

    /** Lists the partition's reports and verdicts (two listings) and reads the reports at the LSNs to judge. */
    static PendingReports find(Repository repository, PartitionId partition, Optional<ReplicaId> onlyReplica)
            throws IOException {
        Set<ReportAt> judged = repository.judged(partition);
        Map<Long, List<ReplicaId>> complete = new TreeMap<>();
        Set<ReportAt> toJudge = new HashSet<>();
        for (PublishedScrub scrub : repository.scrubReports(partition)) {
            if (!scrub.complete()) {
                continue;
            }
            ReportAt at = scrub.at();
            complete.computeIfAbsent(at.lsn(), l -> new ArrayList<>()).add(at.replica());
            boolean mine = onlyReplica.map(at.replica()::equals).orElse(true);
            if (mine && !judged.contains(at)) {
                toJudge.add(at);
            }
        }
        NavigableMap<Long, Map<ReplicaId, Pending>> byLsn = new TreeMap<>();
        for (ReportAt first : toJudge) {
            if (byLsn.containsKey(first.lsn())) {
                continue;
            }
            Map<ReplicaId, Pending> atLsn = new TreeMap<>();
            for (ReplicaId replica : complete.getOrDefault(first.lsn(), List.of())) {
                ReportAt at = new ReportAt(first.lsn(), replica);
                ScrubEvidence evidence = repository.readScrubReport(partition, at);
                boolean judging = toJudge.contains(at);
                // A peer judged already only votes with its digest: its sketch (about 100 KB) is not read.
                SketchRead sketch = judging ? repository.readScrubSketch(partition, at) : SketchRead.none();
                atLsn.put(replica, new Pending(evidence.report(), evidence.digest(), sketch, judging));
            }
            byLsn.put(first.lsn(), atLsn);
        }
        return new PendingReports(byLsn);
    }

    boolean isEmpty() {
        return byLsn.isEmpty();
    }

    /** The oldest LSN to judge; the reference must start at or below it. */
    long oldest() {
        return byLsn.firstKey();
    }

    /**
     * The shape of the sketches the pending reports carry, for the reference to keep one alike; the first found (nodes
     * of a partition share {@code scrub.sketch-capacity}; a report of another shape is localised by its checkpoint).
     */
    Optional<SketchShape> sketchShape() {
        return byLsn.values().stream()
                .flatMap(reports -> reports.values().stream())
                .flatMap(pending -> pending.sketch().sketch().stream())
                .map(DifferenceSketch::shape)
                .findFirst();
    }

    /** The digest of some pending report, whose algorithm and bucket count the reference must use. */
    Digest sample() {
        return byLsn.firstEntry().getValue().values().iterator().next().digest();
    }
}
