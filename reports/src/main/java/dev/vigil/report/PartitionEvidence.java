package dev.vigil.report;

import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.alert.RecordedAlert;
import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.repository.DrillRecord;
import dev.vigil.core.repository.PublishedScrub;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.UnreadableDocuments;
import dev.vigil.core.repository.Verdict;
import dev.vigil.core.repository.VerificationState;
import dev.vigil.core.store.ObjectInfo;
import dev.vigil.core.store.ObjectNotFoundException;
import dev.vigil.core.store.ObjectStore;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything the repository holds about one partition that a report judges: the archived segments, the
 * archive-verification state, each scrubbed replica's last scrub LSN, every verdict, the restore drills, the committed snapshots
 * (with the time each was committed) and the alerts recorded for it in the period. Read once, judged by
 * {@link ReportBuilder}.
 */
record PartitionEvidence(
        PartitionId partition,
        List<ArchivedSegment> segments,
        VerificationState verification,
        Map<ReplicaId, Long> lastScrubLsn,
        List<ScrubSeen> scrubs,
        List<Verdict> verdicts,
        List<DrillRecord> drills,
        Map<Long, Instant> snapshots,
        List<RecordedAlert> alerts,
        Map<String, List<ComplianceReport.Acknowledged>> acknowledgements) {

    /** A scrub report in the repository: which replica had applied which LSN, stored when. */
    record ScrubSeen(ReplicaId replica, long lsn, Instant storedAt) {}

    /** {@code acknowledgements}: every one in the repository, by finding id ({@link Repository#acknowledgements}). */
    static PartitionEvidence gather(
            Repository repository,
            PartitionId partition,
            List<RecordedAlert> periodAlerts,
            Map<String, List<ComplianceReport.Acknowledged>> acknowledgements,
            UnreadableDocuments unreadable)
            throws IOException {
        List<ArchivedSegment> segments = repository.archive(partition).segments();
        Map<ReplicaId, Long> replicas = new TreeMap<>();
        List<ScrubSeen> scrubs = new ArrayList<>();
        for (PublishedScrub scrub : repository.scrubReports(partition)) {
            ReplicaId replica = scrub.at().replica();
            replicas.merge(replica, scrub.at().lsn(), Math::max);
            scrubs.add(new ScrubSeen(replica, scrub.at().lsn(), scrub.storedAt()));
        }
        List<Verdict> verdicts = repository.verdicts(partition, unreadable);
        verdicts.forEach(v -> replicas.merge(v.replica(), v.lsn(), Math::max));
        Map<Long, Instant> committed = repository.committedSnapshots(partition);
        List<RecordedAlert> alerts = new ArrayList<>();
        for (RecordedAlert alert : periodAlerts) {
            if (alert.partitionId().filter(partition::equals).isPresent()) {
                alerts.add(alert);
            }
        }
        return new PartitionEvidence(
                partition,
                segments,
                repository.verificationState(partition),
                replicas,
                scrubs,
                verdicts,
                repository.drills(partition, unreadable),
                committed,
                alerts,
                acknowledgements);
    }

    /**
     * When the first record of an archived segment was written: from the verification state (which read the
     * whole segment), else from the metadata the archiver stored with the object (one HEAD); empty when neither
     * knows (a segment stored by another tool).
     */
    Optional<Instant> firstRecordTime(ObjectStore store, ArchivedSegment segment) throws IOException {
        Optional<Long> verified = verification.entry(segment.key()).map(VerificationState.Entry::firstTimestamp);
        if (verified.isPresent()) {
            return verified.map(Instant::ofEpochMilli);
        }
        ObjectInfo info;
        try {
            info = store.head(segment.key());
        } catch (ObjectNotFoundException expiredMeanwhile) {
            return Optional.empty();
        }
        String millis = info.metadata().get("first-timestamp");
        try {
            return millis == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(Long.parseLong(millis)));
        } catch (NumberFormatException notOurs) {
            return Optional.empty();
        }
    }
}
