package dev.vigil.demoapp;

import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.alert.AlertType;
import dev.vigil.core.alert.RecordedAlert;
import dev.vigil.core.alert.RecordedAlerts;
import dev.vigil.core.repository.ReportAt;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.Verdict;
import dev.vigil.core.store.ObjectStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * What the demo shows as it arrives: the alerts the daemons recorded in the repository and the verdicts the judges
 * wrote there, each printed once, in the order they appear. It reads only the repository, as an operator's tools
 * would. Not thread safe: the demo's script polls it.
 */
final class DemoWatch {

    private static final Duration POLL = Duration.ofMillis(250);

    private final ObjectStore store;
    private final PartitionId partition;
    private final PrintWriter out;
    private final Clock clock;
    private final Instant since;
    private final List<String> workers;
    private final Set<String> seenAlerts = new HashSet<>();
    private final Set<String> shownAlertKeys = new HashSet<>();
    private final Set<ReportAt> seenVerdicts = new HashSet<>();
    private final List<RecordedAlert> alerts = new ArrayList<>();
    private final List<Verdict> verdicts = new ArrayList<>();

    /** {@code workers}: the names of fleet workers, whose alerts are shown as theirs rather than a node daemon's. */
    DemoWatch(ObjectStore store, PartitionId partition, PrintWriter out, Clock clock, List<String> workers) {
        this.workers = List.copyOf(workers);
        this.store = store;
        this.partition = partition;
        this.out = out;
        this.clock = clock;
        this.since = clock.instant();
    }

    /** What the script waits for; it may read the repository, and what it cannot read stops the demo. */
    @FunctionalInterface
    interface Condition {
        boolean holds(DemoWatch watch) throws IOException;
    }

    /**
     * Polls the repository (printing what is new) until {@code done} holds for what has arrived, or {@code timeout}
     * passes; returns whether it held.
     */
    boolean until(Condition done, Duration timeout, DemoWorkload workload) throws IOException {
        Instant deadline = clock.instant().plus(timeout);
        while (true) {
            poll();
            workload.rethrowFailure();
            if (done.holds(this)) {
                return true;
            }
            if (clock.instant().isAfter(deadline)) {
                return false;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the daemons", e);
            }
        }
    }

    /** Prints what appeared since the last poll; reads only objects it has not read before. */
    void poll() throws IOException {
        for (String key : RecordedAlerts.keys(store, since, clock.instant().plusSeconds(1))) {
            if (seenAlerts.contains(key)) {
                continue;
            }
            Optional<RecordedAlert> read = RecordedAlerts.read(store, key);
            if (read.isEmpty()) {
                continue; // listed while being written (S3Proxy): read it on the next poll
            }
            seenAlerts.add(key);
            RecordedAlert alert = read.get();
            if (alert.isResolution()) {
                // The end of an incident shown before: say so once, as an operator's pager would.
                if (shownAlertKeys.remove(alert.key())) {
                    out.printf("     RESOLVED %s: %s%n", alert.type(), alert.message());
                }
                continue;
            }
            alerts.add(alert);
            // Without a fleet every daemon verifies the archive, so each reports the same damaged object: show it once.
            if (shownAlertKeys.add(alert.key())) {
                out.printf(
                        "     ALERT    %s %s (raised by %s): %s%n",
                        alert.severity(),
                        alert.type(),
                        alert.host() != null && workers.contains(alert.host())
                                ? "fleet " + alert.host()
                                : alert.host() + "'s daemon",
                        alert.message());
            }
        }
        Repository repository = new Repository(store);
        for (ReportAt at : new TreeSet<>(repository.judged(partition))) {
            if (seenVerdicts.contains(at)) {
                continue;
            }
            Optional<Verdict> read = repository.readVerdict(partition, at);
            if (read.isEmpty()) {
                continue;
            }
            seenVerdicts.add(at);
            Verdict verdict = read.get();
            verdicts.add(verdict);
            out.printf(
                    "     verdict  %s at LSN %,d: %s%s%n",
                    verdict.replica(),
                    verdict.lsn(),
                    verdict.status(),
                    verdict.status() == Verdict.Status.CLEAN
                            ? " (equal to the reference replayed from the archive)"
                            : ", " + verdict.totalDifferences() + " key(s) differ:");
            for (Verdict.Difference difference : verdict.differences()) {
                out.printf("              %-18s %s%n", difference.kind(), difference.key());
            }
        }
        out.flush();
    }

    List<RecordedAlert> alerts() {
        return List.copyOf(alerts);
    }

    List<Verdict> verdicts() {
        return List.copyOf(verdicts);
    }

    boolean hasAlert(AlertType type, @Nullable ReplicaId replica) {
        return alerts.stream()
                .anyMatch(a -> a.type() == type
                        && (replica == null
                                || a.replicaId().filter(replica::equals).isPresent()));
    }

    boolean hasVerdict(String replica, Verdict.Status status, long atOrAfterLsn) {
        return verdicts.stream()
                .anyMatch(v -> v.replica().value().equals(replica) && v.status() == status && v.lsn() >= atOrAfterLsn);
    }
}
