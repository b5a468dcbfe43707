package dev.vigil.archiver;

import dev.vigil.core.Durations;
import dev.vigil.core.LsnRange;
import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.AlertPublisher;
import dev.vigil.core.alert.AlertResolution;
import dev.vigil.core.alert.AlertType;
import dev.vigil.core.config.ArchiveConfig;
import dev.vigil.core.repository.Continuity;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * The archiver's alerts, in one place: what each says and what it tells the operator to do (the catalogue in
 * docs/alerts.md describes the same alerts). The archiver decides when; this decides the words. Thread safe.
 */
final class ArchiveAlerts {

    private final AlertPublisher alerts;
    private final ArchiveConfig settings;

    ArchiveAlerts(AlertPublisher alerts, ArchiveConfig settings) {
        this.alerts = alerts;
        this.settings = settings;
    }

    void nodeReadable(ReplicaId replica, Instant at) {
        alerts.resolve(AlertResolution.of(
                AlertType.NODE_UNREADABLE, at, "the node's partitions under node.roots can be listed again"));
    }

    void nodeUnreadable(ReplicaId replica, Instant at, IOException cause) {
        alerts.raise(Alert.of(AlertType.NODE_UNREADABLE, at)
                .replica(replica)
                .message("cannot list the node's partitions: " + cause.getMessage())
                .action("check node.roots in the configuration and that Vigil may read them")
                .build());
    }

    void uploadNotReadBack(PartitionId id, ReplicaId replica, LsnRange range, Instant at, IOException cause) {
        alerts.raise(Alert.of(AlertType.ARCHIVE_VERIFY_FAILED, at)
                .partition(id)
                .replica(replica)
                .lsnRange(range)
                .key(AlertType.ARCHIVE_VERIFY_FAILED + "|" + id + "|" + replica + "|" + range)
                .message("partition " + id + ": " + cause.getMessage())
                .action("the repository, or something between Vigil and it, changed the data: investigate"
                        + " proxies, gateways and the store's health; the segment is retried and not counted"
                        + " as archived")
                .build());
    }

    void lag(
            PartitionId id,
            ReplicaId replica,
            LsnRange waiting,
            int segments,
            long lagBytes,
            long lagSeconds,
            Path oldest,
            Instant at) {
        // One incident per partition and replica: the key has no LSNs, which grow while the lag lasts.
        alerts.raise(Alert.of(AlertType.ARCHIVE_LAG, at)
                .partition(id)
                .replica(replica)
                .lsnRange(waiting)
                .message("partition " + id + ": " + segments + " sealed segment(s), " + lagBytes
                        + " bytes, have waited " + Durations.format(Duration.ofSeconds(lagSeconds))
                        + " to be archived, longer than the RPO of " + Durations.format(settings.rpo())
                        + "; the oldest is " + oldest)
                .action("check that the repository is reachable and keeps up (STORE_UNAVAILABLE alerts, the"
                        + " vigil_archive_* metrics); raise archive.concurrency if uploads are the bottleneck")
                .build());
    }

    void lagWithinRpo(PartitionId id, ReplicaId replica, long lagSeconds, Instant at) {
        alerts.resolve(AlertResolution.of(
                AlertType.ARCHIVE_LAG,
                id,
                replica,
                at,
                "partition " + id + ": the sealed segments waiting to be archived are within the RPO of "
                        + Durations.format(settings.rpo()) + " again (oldest waiting "
                        + Durations.format(Duration.ofSeconds(lagSeconds)) + ")"));
    }

    void replicaDiverges(PartitionId id, ReplicaId replica, ShipResult.Diverged diverged, String theirs, Instant at) {
        alerts.raise(Alert.of(AlertType.WAL_DIVERGENCE, at)
                .partition(id)
                .replica(replica)
                .lsnRange(diverged.segment().range())
                .key(AlertType.WAL_DIVERGENCE + "|" + diverged.key() + "|" + replica)
                .message("partition " + id + ", LSNs " + diverged.segment().range() + ": replica " + replica
                        + " holds a segment (" + diverged.summary().byteSize() + " bytes, "
                        + diverged.summary().checksum() + ") that differs from the archived copy " + diverged.key()
                        + " written by replica " + theirs + " ("
                        + diverged.existing().size() + " bytes, "
                        + diverged.existing().checksum() + "); this replica's copy is kept at "
                        + diverged.conflictKey())
                .action("the replicas' logs disagree about the same LSNs: compare the two copies with 'vigil"
                        + " inspect segment --records' to find the first differing record, and find which"
                        + " replica's data is wrong before any of them deletes its WAL")
                .detail("archivedKey", diverged.key())
                .detail("conflictKey", diverged.conflictKey())
                .detail("otherReplica", theirs)
                .build());
    }

    void localSegmentCorrupt(PartitionId id, ReplicaId replica, ShipResult.Corrupt corrupt, Instant at) {
        alerts.raise(Alert.of(AlertType.SEGMENT_CORRUPT, at)
                .partition(id)
                .replica(replica)
                .lsnRange(corrupt.segment().range())
                .key(AlertType.SEGMENT_CORRUPT + "|" + id + "|" + replica + "|"
                        + corrupt.segment().range())
                .message("partition " + id + ": local segment "
                        + corrupt.segment().path() + " is corrupt at"
                        + " offset " + corrupt.corruption().offset() + ": "
                        + corrupt.corruption().reason()
                        + "; it was not archived")
                .action("keep the file for forensics and check the node's disk (SMART, kernel log); if another"
                        + " replica archives the same LSNs the archive stays complete, otherwise ARCHIVE_GAP follows")
                .detail("file", corrupt.segment().path().toString())
                .detail("offset", Long.toString(corrupt.corruption().offset()))
                .build());
    }

    void gap(PartitionId id, ReplicaId replica, Continuity.Gap gap, Instant at) {
        alerts.raise(Alert.of(AlertType.ARCHIVE_GAP, at)
                .partition(id)
                .lsnRange(gap.missing())
                .key(gapKey(id, gap))
                .message("partition " + id + ": LSNs " + gap.missing() + " are missing from the archive since "
                        + gap.since() + " (longer than the grace period of " + Durations.format(settings.gapGrace())
                        + "), and replica " + replica + " holds no segment with them")
                .action("check whether another replica still has these LSNs in its WAL directory (its daemon"
                        + " archives them); if none does, the partition cannot be restored across this range: take"
                        + " a new snapshot after it, and find out why the segments were lost")
                .build());
    }

    /** One incident per missing range, whichever process saw it (the archive verifier keys it the same way). */
    static String gapKey(PartitionId id, Continuity.Gap gap) {
        return AlertType.ARCHIVE_GAP + "|" + id + "|" + gap.missing();
    }

    /** Every gap of the partition is closed but those whose keys are still missing (or may still be filled). */
    void gapsClosed(PartitionId id, Set<String> stillMissing, Instant at) {
        alerts.resolve(AlertResolution.of(
                        AlertType.ARCHIVE_GAP, id, at, "partition " + id + ": the archive covers these LSNs again")
                .except(stillMissing));
    }

    void archivedCopiesDiverge(PartitionId id, Continuity.Overlap overlap, String pair, long fromLsn, Instant at) {
        alerts.raise(Alert.of(AlertType.WAL_DIVERGENCE, at)
                .partition(id)
                .lsnRange(overlap.common())
                .key(AlertType.WAL_DIVERGENCE + "|" + pair)
                .message("partition " + id + ": archived segments "
                        + overlap.first().key() + " and " + overlap.second().key()
                        + " overlap and hold different records from LSN " + fromLsn)
                .action("the replicas that wrote them logged different mutations under the same LSNs;"
                        + " inspect both (vigil inspect segment --records) and find the faulty replica")
                .build());
    }

    void storeUnavailable(String store, IOException failure, Instant since, Instant at) {
        alerts.raise(Alert.of(AlertType.STORE_UNAVAILABLE, at)
                .key(AlertType.STORE_UNAVAILABLE + "|" + store)
                .message("the repository " + store
                        + (since.equals(at)
                                ? " refuses Vigil: "
                                : " has not answered since " + since + " (for "
                                        + Durations.format(Duration.between(since, at)) + "): ")
                        + failure.getMessage())
                .action("fix the credentials, permissions, bucket or network path named in the message; archiving"
                        + " resumes on the next pass and nothing is lost meanwhile (the node keeps its WAL)")
                .build());
    }

    void storeAvailable(String store, Instant at) {
        alerts.resolve(
                AlertResolution.of(AlertType.STORE_UNAVAILABLE, at, "the repository " + store + " answers again"));
    }
}
