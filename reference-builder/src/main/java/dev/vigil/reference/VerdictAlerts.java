package dev.vigil.reference;

import dev.vigil.core.LsnRange;
import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.AlertPublisher;
import dev.vigil.core.alert.AlertResolution;
import dev.vigil.core.alert.AlertType;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.Verdict;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * The judge's alerts, in one place: what a verdict other than clean says and what it tells the operator to do (the
 * catalogue in docs/alerts.md describes the same alerts). The judge decides when; this decides the words. Thread safe.
 */
final class VerdictAlerts {

    /** How many differing keys an alert's message names; the verdict names more. */
    static final int KEYS_IN_MESSAGE = 10;

    private final AlertPublisher alerts;

    VerdictAlerts(AlertPublisher alerts) {
        this.alerts = alerts;
    }

    /**
     * Raises the alert a verdict calls for (one incident per replica, updated while later verdicts find it still
     * off); a clean verdict raises none and ends the replica's open incidents. The future says whether the alert was
     * delivered ({@link AlertPublisher#raiseDelivered}); {@code true} at once for a clean verdict.
     */
    CompletableFuture<Boolean> raise(Verdict verdict, Instant at) {
        PartitionId partition = verdict.partition();
        if (verdict.status() == Verdict.Status.CLEAN) {
            ReplicaId replica = verdict.replica();
            String because =
                    "replica " + replica + " of partition " + partition + " verified CLEAN at LSN " + verdict.lsn();
            for (AlertType type :
                    List.of(AlertType.REPLICA_DIVERGED, AlertType.ARCHIVE_DIVERGED, AlertType.NO_MAJORITY)) {
                alerts.resolve(AlertResolution.of(type, partition, replica, at, because));
            }
            return CompletableFuture.completedFuture(true);
        }
        return alerts.raiseDelivered(Alert.of(type(verdict.status()), at)
                .partition(partition)
                .replica(verdict.replica())
                .lsnRange(new LsnRange(verdict.lsn(), verdict.lsn()))
                .message("partition " + partition + " at LSN " + verdict.lsn() + ": " + who(verdict) + "; "
                        + keys(verdict))
                .action(action(verdict.status()))
                .detail("verdict", Repository.verdictKey(verdict))
                .build());
    }

    static AlertType type(Verdict.Status status) {
        return switch (status) {
            case REPLICA_DIVERGED -> AlertType.REPLICA_DIVERGED;
            case ARCHIVE_DIVERGED -> AlertType.ARCHIVE_DIVERGED;
            case NO_MAJORITY, CLEAN -> AlertType.NO_MAJORITY;
        };
    }

    private static String keys(Verdict verdict) {
        if (!verdict.localised()) {
            return verdict.differingBuckets() + " digest bucket(s) differ"
                    + (verdict.differingKeysAtLeast() > 0
                            ? ", at least " + verdict.differingKeysAtLeast() + " key(s) (about "
                                    + verdict.differingKeysEstimate() + ", an estimate)"
                            : "")
                    + "; keys not localised: "
                    + (verdict.localisation() == null
                            ? "the replica's retained state is not reachable from this machine"
                            : verdict.localisation());
        }
        return verdict.totalDifferences() + " key(s) differ: "
                + String.join(
                        ", ",
                        verdict.differences().stream()
                                .limit(KEYS_IN_MESSAGE)
                                .map(d -> d.key() + " "
                                        + d.kind()
                                                .name()
                                                .toLowerCase(Locale.ROOT)
                                                .replace('_', ' '))
                                .toList())
                + (verdict.totalDifferences() > KEYS_IN_MESSAGE ? ", …" : "");
    }

    private static String who(Verdict verdict) {
        return switch (verdict.status()) {
            case REPLICA_DIVERGED ->
                "replica " + verdict.replica() + " differs from the reference built from the archive"
                        + (verdict.peerRoots().isEmpty()
                                ? ""
                                : " (peers " + new TreeSet<>(verdict.peerRoots().keySet()) + " at the same LSN)");
            case ARCHIVE_DIVERGED ->
                "every replica agrees, but the reference built from the archive differs from replica "
                        + verdict.replica();
            case NO_MAJORITY, CLEAN ->
                "replica " + verdict.replica() + ", its peers and the reference disagree with no majority";
        };
    }

    private static String action(Verdict.Status status) {
        return switch (status) {
            case REPLICA_DIVERGED ->
                "rebuild this replica from its peers or a restore, and find what lost or changed these"
                        + " writes (the keys name them)";
            case ARCHIVE_DIVERGED ->
                "the archive or the replay is wrong: run 'vigil verify archive', compare the archived"
                        + " segments with the replicas' WAL, and do not restore from the archive until this is"
                        + " explained";
            case NO_MAJORITY, CLEAN ->
                "stop writes to this partition if you can and compare the replicas key by key; nobody can say"
                        + " which state is right";
        };
    }
}
