package dev.vigil.scrubber;

import dev.vigil.core.PartitionId;
import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.AlertPublisher;
import dev.vigil.core.alert.AlertResolution;
import dev.vigil.core.alert.AlertType;
import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.repository.Continuity;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * The scrubber's and the archive verifier's alerts, in one place: what each says and what it tells the operator to do
 * (the catalogue in docs/alerts.md describes the same alerts). The callers decide when; this decides the words.
 * Thread safe.
 */
final class ScrubAlerts {

    /** Why an archived segment is reported damaged; each has its own advice. */
    enum Damage {
        /** The stored bytes no longer match the checksum they were archived with. */
        CHECKSUM("the stored bytes no longer match the checksum they were archived with: if a replica still holds this"
                + " segment, delete the damaged object and let its daemon archive it again"),
        /** The object's records fail the format's checks (CRC, LSN continuity, seal). */
        FORMAT("the stored copy is damaged: if a replica still holds this segment, delete the damaged object and let"
                + " its daemon archive it again; otherwise the partition cannot be restored across these LSNs"),
        /** The archived object is intact by its own checks but differs from this node's copy. */
        DIFFERS_FROM_NODE(
                "compare the two copies with 'vigil inspect segment --records'; the archive changed after it was"
                        + " written, or this node's copy did");

        private final String action;

        Damage(String action) {
            this.action = action;
        }
    }

    private final AlertPublisher alerts;

    ScrubAlerts(AlertPublisher alerts) {
        this.alerts = alerts;
    }

    void replicaBitRot(LocalReplica replica, ReplicaCorruptException e, String finding, Instant at) {
        alerts.raise(Alert.of(AlertType.REPLICA_BIT_ROT, at)
                .partition(replica.partition())
                .replica(replica.replica())
                .message(finding)
                .action("the replica's data at rest is damaged (bit rot, a failing disk): take the replica out of"
                        + " service and rebuild it from its peers or from a restore; check the disk (SMART, kernel"
                        + " log)")
                .detail("file", e.file())
                .detail("block", e.blockKind())
                .detail("lastGoodKey", e.lastGoodKey())
                .build());
    }

    /** A scrub read every block of the replica with its checksums intact: its bit rot, if it had any, is gone. */
    void replicaReadClean(LocalReplica replica, long lsn, Instant at) {
        alerts.resolve(AlertResolution.of(
                AlertType.REPLICA_BIT_ROT,
                replica.partition(),
                replica.replica(),
                at,
                "replica " + replica.replica() + " of " + replica.partition() + " was scrubbed at LSN " + lsn
                        + " with every storage checksum intact"));
    }

    /** One incident per missing range, keyed as the archiver keys it. */
    static String gapKey(PartitionId partition, Continuity.Gap gap) {
        return AlertType.ARCHIVE_GAP + "|" + partition + "|" + gap.missing();
    }

    void gapsClosed(PartitionId partition, Set<String> stillMissing, Instant at) {
        alerts.resolve(AlertResolution.of(
                        AlertType.ARCHIVE_GAP,
                        partition,
                        at,
                        "partition " + partition + ": the archive covers these LSNs again")
                .except(stillMissing));
    }

    /** The object was read back intact. */
    void archivedObjectIntact(PartitionId partition, String key, Instant at) {
        alerts.resolve(
                AlertResolution.ofKey(AlertType.ARCHIVE_CORRUPT, corruptKey(key), at, key + " was read back intact"));
    }

    /** Damaged objects that are no longer in the repository (deleted, to be archived again) end their incidents. */
    void archivedObjectsGone(PartitionId partition, Set<String> present, Instant at) {
        Set<String> stillThere = new HashSet<>();
        present.forEach(key -> stillThere.add(corruptKey(key)));
        alerts.resolve(AlertResolution.of(
                        AlertType.ARCHIVE_CORRUPT,
                        partition,
                        at,
                        "the damaged object is no longer in the repository (deleted, to be archived again)")
                .except(stillThere));
    }

    private static String corruptKey(String objectKey) {
        return AlertType.ARCHIVE_CORRUPT + "|" + objectKey;
    }

    void archiveGap(PartitionId partition, Continuity.Gap gap, Instant at) {
        alerts.raise(Alert.of(AlertType.ARCHIVE_GAP, at)
                .partition(partition)
                .lsnRange(gap.missing())
                .key(gapKey(partition, gap))
                .message("partition " + partition + ": the archive has no segment for LSNs " + gap.missing()
                        + " (between the segments archived up to "
                        + (gap.missing().first() - 1) + " and from "
                        + (gap.missing().last() + 1) + ")")
                .action("check whether a replica still holds these LSNs in its WAL directory (its daemon"
                        + " archives them); if none does, restores cannot cross this range")
                .build());
    }

    void archiveCorrupt(PartitionId partition, ArchivedSegment segment, Damage damage, String what, Instant at) {
        alerts.raise(Alert.of(AlertType.ARCHIVE_CORRUPT, at)
                .partition(partition)
                .lsnRange(segment.range())
                .key(corruptKey(segment.key()))
                .message("partition " + partition + ", archived segment " + what)
                .action(damage.action)
                .detail("object", segment.key())
                .build());
    }
}
