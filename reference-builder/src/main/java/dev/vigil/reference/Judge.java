package dev.vigil.reference;

import dev.vigil.core.Errors;
import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.alert.AlertPublisher;
import dev.vigil.core.digest.Digest;
import dev.vigil.core.repository.Classification;
import dev.vigil.core.repository.ReplicaKeySource;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.Verdict;
import dev.vigil.reference.PendingReports.Pending;
import dev.vigil.replay.ReferenceBuildException;
import dev.vigil.replay.ReferenceBuilder;
import dev.vigil.replay.ReferenceState;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges a partition's pending scrub reports ({@link PendingReports}): drives the replay of the archive into the
 * reference, stopping at each report's LSN; there compares every replica's digest with the reference's and its peers'
 * ({@link Classification}), names the differing keys ({@link KeyLocaliser}), writes a verdict per replica through the
 * {@link Repository} and raises the alerts of {@link VerdictAlerts}. A report the archive cannot reach yet stays
 * pending. Not thread safe.
 */
public final class Judge {

    private static final Logger LOG = LoggerFactory.getLogger(Judge.class);
    private final Repository repository;
    private final Path workDir;
    private final KeyLocaliser localiser;
    private final Optional<ReplicaId> onlyReplica;
    private final VerdictAlerts verdictAlerts;
    private final Clock clock;
    private final ReferenceBuilder builder;

    /**
     * @param onlyReplica when present, verdicts are written only for this replica's reports (a node judges its
     *                    own replica, whose retained state it can reach for the drill-down); every replica's
     *                    digest at the same LSN still takes part in the classification
     */
    public Judge(
            Repository repository,
            Path workDir,
            ReplicaKeySource replicas,
            Optional<ReplicaId> onlyReplica,
            AlertPublisher alerts,
            Clock clock) {
        this(repository, workDir, replicas, onlyReplica, alerts, clock, new ReferenceBuilder(repository));
    }

    /**
     * @param builder how references are built: with snapshots, a judge starts from the newest snapshot at or below
     *                the oldest pending report, and writes new ones as the policy says
     */
    public Judge(
            Repository repository,
            Path workDir,
            ReplicaKeySource replicas,
            Optional<ReplicaId> onlyReplica,
            AlertPublisher alerts,
            Clock clock,
            ReferenceBuilder builder) {
        this.builder = builder;
        this.repository = repository;
        this.workDir = workDir;
        this.localiser = new KeyLocaliser(replicas);
        this.onlyReplica = onlyReplica;
        this.verdictAlerts = new VerdictAlerts(alerts);
        this.clock = clock;
    }

    /**
     * What judging a partition produced: the verdicts written, why it stopped early if it did, and the bytes its
     * hash-only reference takes in the work directory after it was saved (empty when nothing was pending).
     */
    public record Outcome(
            String partition, List<Verdict> verdicts, Optional<String> stoppedAt, OptionalLong referenceBytes) {}

    /** Judges every partition that has scrub reports in the repository. */
    public List<Outcome> judgeAll() throws IOException {
        List<Outcome> outcomes = new ArrayList<>();
        for (PartitionId partition : repository.partitionsWithScrubReports()) {
            outcomes.add(judge(partition));
        }
        return outcomes;
    }

    /**
     * Judges the partition's pending reports; first raises again the alerts of stored verdicts never confirmed
     * delivered ({@link AlertOutbox}), and at the end waits a little for this run's alerts to be delivered.
     */
    public Outcome judge(PartitionId partition) throws IOException {
        AlertOutbox outbox = new AlertOutbox(repository, verdictAlerts, onlyReplica, clock);
        try {
            outbox.redeliver(partition);
            return judge(partition, outbox);
        } finally {
            outbox.settle();
        }
    }

    private Outcome judge(PartitionId partition, AlertOutbox outbox) throws IOException {
        PendingReports pending = PendingReports.find(repository, partition, onlyReplica);
        if (pending.isEmpty()) {
            return new Outcome(partition.value(), List.of(), Optional.empty(), OptionalLong.empty());
        }
        Digest sample = pending.sample();
        // A report older than the local reference needs an earlier start: the newest snapshot below it, or LSN 1.
        ReferenceState reference = builder.open(
                workDir, partition, sample.algorithm(), sample.bucketBits(), pending.oldest(), pending.sketchShape());
        List<Verdict> verdicts = new ArrayList<>();
        Optional<String> stopped = Optional.empty();
        OptionalLong referenceBytes;
        try (ReferenceState ref = reference) {
            TreeSet<Long> stops = new TreeSet<>(pending.byLsn().keySet());
            try {
                builder.advance(
                        ref,
                        stops.last(),
                        stops,
                        (lsn, state) -> verdicts.addAll(
                                judgeAt(partition, lsn, state, pending.byLsn().getOrDefault(lsn, Map.of()), outbox)));
            } catch (ReferenceBuildException e) {
                stopped = Optional.of(Errors.message(e));
                LOG.warn("{}", Errors.message(e));
            }
            ref.save();
            referenceBytes = sizeOf(ref);
        }
        return new Outcome(partition.value(), verdicts, stopped, referenceBytes);
    }

    /** The reference's bytes on disk, for the metrics: a figure that cannot be read never fails the judge. */
    private static OptionalLong sizeOf(ReferenceState reference) {
        try {
            return OptionalLong.of(reference.diskBytes());
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot measure the reference of {} on disk: {}", reference.partition(), e.getMessage());
            return OptionalLong.empty();
        }
    }

    /** Judges the reports at one LSN against the reference brought exactly there: classify, localise, write, alert. */
    private List<Verdict> judgeAt(
            PartitionId partition,
            long lsn,
            ReferenceState reference,
            Map<ReplicaId, Pending> reports,
            AlertOutbox outbox)
            throws IOException {
        Digest referenceDigest = reference.digest();
        Map<String, String> roots = new TreeMap<>();
        reports.forEach((replica, pending) ->
                roots.put(replica.value(), pending.digest().rootHex()));
        Map<ReplicaId, Digest> digests = new LinkedHashMap<>();
        reports.forEach((replica, pending) -> digests.put(replica, pending.digest()));
        Map<ReplicaId, Verdict.Status> statuses = Classification.classify(referenceDigest, digests);
        List<Verdict> verdicts = new ArrayList<>();
        for (Map.Entry<ReplicaId, Pending> entry : reports.entrySet()) {
            ReplicaId replica = entry.getKey();
            Pending report = entry.getValue();
            if (!report.toJudge()) {
                continue;
            }
            Verdict.Status status = Objects.requireNonNull(statuses.get(replica), "every report is classified");
            KeyLocaliser.Localisation found = status == Verdict.Status.CLEAN
                    ? KeyLocaliser.Localisation.NONE
                    : localiser.localise(reference, referenceDigest, report);
            Map<String, String> peers = new TreeMap<>(roots);
            peers.remove(replica.value());
            Verdict verdict = new Verdict(
                    Verdict.VERSION,
                    partition,
                    lsn,
                    replica,
                    status,
                    referenceDigest.rootHex(),
                    report.digest().rootHex(),
                    peers,
                    found.differingBuckets(),
                    found.differences(),
                    found.total(),
                    found.localised(),
                    clock.instant(),
                    found.how(),
                    found.estimatedItems(),
                    found.unlocalisedBuckets(),
                    found.keysAtLeast(),
                    found.keysEstimate());
            localiser.release(report.report());
            outbox.beforeStoring(verdict);
            if (repository.writeVerdict(verdict).isEmpty()) {
                // Another judge stored this report's verdict meanwhile (a worker that took over a task): its alert
                // was raised with it, or is raised from the outbox by the next judge.
                LOG.info("{} at LSN {} of {} was judged meanwhile by another judge", replica, lsn, partition);
                continue;
            }
            outbox.stored(verdict);
            verdicts.add(verdict);
        }
        return verdicts;
    }
}
