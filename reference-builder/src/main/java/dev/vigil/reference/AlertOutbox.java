package dev.vigil.reference;

import dev.vigil.core.Errors;
import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.repository.ReportAt;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.Verdict;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * No verdict's alert is lost, even if the judge dies right after storing the verdict: before a verdict that calls for
 * an alert is stored, an entry naming it is written to the partition's outbox in the repository
 * ({@link Repository#recordPendingAlert}); once the alert reached every sink, a receipt is written beside it (nothing
 * is deleted: a judge needs no delete permission, and the receipts say when each alert was confirmed delivered). The
 * next judge of the partition, on this machine or any other, raises the alerts of the entries without a receipt whose
 * verdicts are stored (the same incident key, so a receiver that got it already sees an update, not a new page) and
 * writes their receipts once delivered. An entry whose verdict was never stored belongs to a judge that died before
 * storing it: its report is still pending and is judged again, which writes the entry anew.
 *
 * <p>Delivery is at least once: a judge that dies after the delivery but before the receipt has its alert raised
 * again by the next one. One instance serves one {@link Judge#judge} call. Not thread safe.
 */
final class AlertOutbox {

    private static final Logger LOG = LoggerFactory.getLogger(AlertOutbox.class);

    /** How long a judge waits, in all, for its alerts to be delivered before it leaves their entries for the next. */
    static final Duration DELIVERY_WAIT = Duration.ofSeconds(10);

    private record Raised(PartitionId partition, ReportAt at, CompletableFuture<Boolean> delivered) {}

    private final Repository repository;
    private final VerdictAlerts alerts;
    private final Optional<ReplicaId> onlyReplica;
    private final Clock clock;
    private final List<Raised> raised = new ArrayList<>();

    AlertOutbox(Repository repository, VerdictAlerts alerts, Optional<ReplicaId> onlyReplica, Clock clock) {
        this.repository = repository;
        this.alerts = alerts;
        this.onlyReplica = onlyReplica;
        this.clock = clock;
    }

    /** Raises again the alerts of stored verdicts whose delivery was never confirmed (a judge died meanwhile). */
    void redeliver(PartitionId partition) throws IOException {
        Instant now = clock.instant();
        for (ReportAt at : repository.pendingAlerts(partition).keySet()) {
            if (onlyReplica.isPresent() && !onlyReplica.get().equals(at.replica())) {
                continue; // another node's judge answers for its replica's alerts
            }
            Optional<Verdict> verdict = repository.readVerdict(partition, at);
            if (verdict.isEmpty()) {
                continue; // its judge died before storing it: the report is judged again, with a new entry
            }
            if (verdict.get().status() == Verdict.Status.CLEAN) {
                repository.alertDelivered(partition, at, now);
                continue;
            }
            LOG.warn(
                    "{}: the alert of the verdict on {} at LSN {} was not confirmed delivered (a judge stopped before"
                            + " it was); raising it again",
                    partition,
                    at.replica(),
                    at.lsn());
            raised.add(new Raised(partition, at, alerts.raise(verdict.get(), now)));
        }
    }

    /** Before {@code verdict} is stored: records its alert as pending, when it calls for one. */
    void beforeStoring(Verdict verdict) throws IOException {
        if (verdict.status() != Verdict.Status.CLEAN) {
            repository.recordPendingAlert(verdict);
        }
    }

    /** After {@code verdict} was stored: raises its alert (or resolves, for a clean one), to be confirmed by {@link #settle}. */
    void stored(Verdict verdict) {
        CompletableFuture<Boolean> delivered = alerts.raise(verdict, clock.instant());
        if (verdict.status() != Verdict.Status.CLEAN) {
            raised.add(new Raised(verdict.partition(), new ReportAt(verdict.lsn(), verdict.replica()), delivered));
        }
    }

    /**
     * Waits, at most {@link #DELIVERY_WAIT} in all, for the alerts raised to be delivered, and writes the receipts of
     * those that were; the others stay pending for the next judge. Never throws: a receipt that cannot be written only
     * means the alert is raised once more.
     */
    void settle() {
        long deadline = System.nanoTime() + DELIVERY_WAIT.toNanos();
        for (Raised alert : raised) {
            boolean delivered;
            try {
                delivered = alert.delivered().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                delivered = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                delivered = false;
            }
            if (!delivered) {
                LOG.warn(
                        "{}: the alert of the verdict on {} at LSN {} is not confirmed delivered; it stays in the alert"
                                + " outbox and is raised again by the next judge of the partition",
                        alert.partition(),
                        alert.at().replica(),
                        alert.at().lsn());
                continue;
            }
            try {
                repository.alertDelivered(alert.partition(), alert.at(), clock.instant());
            } catch (IOException e) {
                LOG.warn(
                        "{}: the delivery receipt of the alert of {} at LSN {} could not be written ({}); the alert"
                                + " will be raised once more",
                        alert.partition(),
                        alert.at().replica(),
                        alert.at().lsn(),
                        Errors.message(e));
            }
        }
        raised.clear();
    }
}
