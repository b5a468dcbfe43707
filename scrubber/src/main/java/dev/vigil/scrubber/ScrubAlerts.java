package dev.vigil.scrubber;

import dev.vigil.core.PartitionId;
import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.AlertPublisher;
import dev.vigil.core.alert.AlertType;
import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.repository.Continuity;
import java.time.Instant;

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

    void archiveGap(PartitionId partition, Continuity.Gap gap, Instant at) {
        alerts.raise(Alert.of(AlertType.ARCHIVE_GAP, at)
                .partition(partition)
                .lsnRange(gap.missing())
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
                .key(AlertType.ARCHIVE_CORRUPT + "|" + segment.key())
                .message("partition " + partition + ", archived segment " + what)
                .action(damage.action)
                .detail("object", segment.key())
                .build());
    }
}
