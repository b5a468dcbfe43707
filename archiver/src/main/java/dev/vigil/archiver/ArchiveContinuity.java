package dev.vigil.archiver;

import dev.vigil.core.PartitionId;
import dev.vigil.core.config.ArchiveConfig;
import dev.vigil.core.node.ArchivedLsnFile;
import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.repository.Continuity;
import dev.vigil.core.store.ObjectStore;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * After a partition's uploads: checks the archive's continuity (a gap older than {@code archive.gap-grace} that this
 * node cannot fill is lost; overlapping archived segments are compared record by record, once per pair), and advances
 * {@code archived.lsn} to the end of the contiguous archive. Thread safe.
 */
final class ArchiveContinuity {

    private final ObjectStore store;
    private final ArchiveConfig settings;
    private final ArchiveAlerts alerts;
    private final Set<String> comparedOverlaps = ConcurrentHashMap.newKeySet();

    ArchiveContinuity(ObjectStore store, ArchiveConfig settings, ArchiveAlerts alerts) {
        this.store = store;
        this.settings = settings;
        this.alerts = alerts;
    }

    /** Adds the gaps still in grace (or fillable here) to {@code delayed}, the others to {@code lost}, and alerts. */
    void check(
            LocalPartition partition,
            LocalWal local,
            List<ArchivedSegment> archived,
            Instant now,
            List<String> delayed,
            List<String> lost,
            PartitionTally tally) {
        PartitionId id = partition.partition();
        Continuity.Analysis analysis = Continuity.analyse(archived);
        Set<String> stillMissing = new HashSet<>();
        for (Continuity.Gap gap : analysis.gaps()) {
            stillMissing.add(ArchiveAlerts.gapKey(id, gap));
            boolean pendingHere = local.mayStillHold(gap.missing());
            if (pendingHere || Duration.between(gap.since(), now).compareTo(settings.gapGrace()) <= 0) {
                delayed.add(gap.missing().toString());
                continue;
            }
            lost.add(gap.missing().toString());
            tally.findings.add("archive gap " + gap.missing());
            alerts.gap(id, partition.replica(), gap, now);
        }
        alerts.gapsClosed(id, stillMissing, now);
        for (Continuity.Overlap overlap : analysis.overlaps()) {
            String pair = overlap.first().key() + "|" + overlap.second().key();
            if (!comparedOverlaps.add(pair)) {
                continue;
            }
            try {
                Optional<Long> difference = OverlapCheck.firstDifference(store, id, overlap.first(), overlap.second());
                if (difference.isPresent()) {
                    tally.findings.add("archived segments " + overlap.first().key() + " and "
                            + overlap.second().key() + " differ at LSN " + difference.get());
                    alerts.archivedCopiesDiverge(id, overlap, pair, difference.get(), now);
                }
            } catch (IOException e) {
                comparedOverlaps.remove(pair);
                tally.errors.add("cannot compare overlapping segments " + pair + ": " + e.getMessage());
            }
        }
    }

    /**
     * Writes {@code archived.lsn} as the end of the contiguous archive from the lowest LSN this node knows, when that
     * moved forward; returns the value now in force.
     */
    long advanceArchivedLsn(
            LocalPartition partition, PartitionWork work, List<ArchivedSegment> archived, PartitionTally tally) {
        if (archived.isEmpty()) {
            return work.archivedLsn().orElse(-1);
        }
        long from = archived.getFirst().range().first();
        Optional<Long> lowestLocal = work.local().lowestLsn();
        if (lowestLocal.isPresent()) {
            from = Math.min(from, lowestLocal.get());
        }
        if (work.archivedLsn().isPresent()) {
            from = Math.min(from, work.archivedLsn().getAsLong() + 1);
        }
        long end = Continuity.contiguousEnd(archived, from);
        long current = work.archivedLsn().orElse(-1);
        if (end > current && end >= from) {
            try {
                ArchivedLsnFile.write(partition.walDir(), end);
                return end;
            } catch (IOException e) {
                tally.errors.add("cannot write " + ArchivedLsnFile.in(partition.walDir()) + ": " + e.getMessage());
            }
        }
        return current;
    }
}
