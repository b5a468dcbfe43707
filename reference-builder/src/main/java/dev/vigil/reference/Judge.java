package dev.vigil.reference;

import dev.vigil.core.LsnRange;
import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.AlertPublisher;
import dev.vigil.core.alert.AlertType;
import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.digest.Digest;
import dev.vigil.core.digest.DrillDown;
import dev.vigil.core.digest.ItemHasher;
import dev.vigil.core.digest.KeyDifference;
import dev.vigil.core.digest.KeyHash;
import dev.vigil.core.digest.ReplicaKeySource;
import dev.vigil.core.repository.RepositoryJson;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.repository.RepositoryPartitions;
import dev.vigil.core.repository.ScrubReport;
import dev.vigil.core.repository.Verdict;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.PutRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges a partition's pending scrub reports: replays the archive forward into the reference, stopping at
 * each report's LSN; compares every replica's digest with the reference's and with its peers' at that LSN;
 * classifies; localises differences to keys (reference side from the reference at that exact LSN, replica
 * side from the state the scrubber retained, through {@link ReplicaKeySource}); writes a verdict per replica
 * and raises alerts. A report the archive cannot reach yet stays pending. Not thread safe.
 */
public final class Judge {

    private static final Logger LOG = LoggerFactory.getLogger(Judge.class);
    static final int KEY_CAP = 100;

    private final ObjectStore store;
    private final Path workDir;
    private final ReplicaKeySource replicas;
    private final Optional<ReplicaId> onlyReplica;
    private final AlertPublisher alerts;
    private final Clock clock;
    private final ReferenceBuilder builder;

    /**
     * @param onlyReplica when present, verdicts are written only for this replica's reports (a node judges its
     *                    own replica, whose retained state it can reach for the drill-down); every replica's
     *                    digest at the same LSN still takes part in the classification
     */
    public Judge(
            ObjectStore store,
            Path workDir,
            ReplicaKeySource replicas,
            Optional<ReplicaId> onlyReplica,
            AlertPublisher alerts,
            Clock clock) {
        this(store, workDir, replicas, onlyReplica, alerts, clock, new ReferenceBuilder(store));
    }

    /**
     * @param builder how references are built: with snapshots, a judge starts from the newest snapshot at or below
     *                the oldest pending report, and writes new ones as the policy says
     */
    public Judge(
            ObjectStore store,
            Path workDir,
            ReplicaKeySource replicas,
            Optional<ReplicaId> onlyReplica,
            AlertPublisher alerts,
            Clock clock,
            ReferenceBuilder builder) {
        this.builder = builder;
        this.store = store;
        this.workDir = workDir;
        this.replicas = replicas;
        this.onlyReplica = onlyReplica;
        this.alerts = alerts;
        this.clock = clock;
    }

    /** What judging a partition produced: the verdicts written, and why it stopped early if it did. */
    public record Outcome(String partition, List<Verdict> verdicts, Optional<String> stoppedAt) {}

    /** Judges every partition that has scrub reports in the repository. */
    public List<Outcome> judgeAll() throws IOException {
        List<Outcome> outcomes = new ArrayList<>();
        for (PartitionId partition : RepositoryPartitions.withScrubReports(store)) {
            outcomes.add(judge(partition));
        }
        return outcomes;
    }

    public Outcome judge(PartitionId partition) throws IOException {
        NavigableReports pending = pendingReports(partition);
        if (pending.byLsn().isEmpty()) {
            return new Outcome(partition.value(), List.of(), Optional.empty());
        }
        Digest sample = pending.byLsn()
                .firstEntry()
                .getValue()
                .values()
                .iterator()
                .next()
                .digest();
        // A report older than the local reference needs an earlier start: the newest snapshot below it, or LSN 1.
        ReferenceState reference = builder.open(
                workDir,
                partition,
                sample.algorithm(),
                sample.bucketBits(),
                pending.byLsn().firstKey());
        List<Verdict> verdicts = new ArrayList<>();
        Optional<String> stopped = Optional.empty();
        try (ReferenceState ref = reference) {
            TreeSet<Long> stops = new TreeSet<>(pending.byLsn().keySet());
            try {
                builder.advance(
                        ref,
                        stops.last(),
                        stops,
                        (lsn, state) -> verdicts.addAll(
                                judgeAt(partition, lsn, state, pending.byLsn().get(lsn))));
            } catch (ReferenceBuildException e) {
                stopped = Optional.of(e.getMessage());
                LOG.warn("{}", e.getMessage());
            }
            ref.save();
        }
        return new Outcome(partition.value(), verdicts, stopped);
    }

    private List<Verdict> judgeAt(
            PartitionId partition, long lsn, ReferenceState reference, Map<ReplicaId, Pending> reports)
            throws IOException {
        Digest referenceDigest = reference.digest();
        Map<String, String> roots = new TreeMap<>();
        reports.forEach((replica, pending) ->
                roots.put(replica.value(), pending.digest().rootHex()));
        Map<ReplicaId, Verdict.Status> statuses = classify(referenceDigest, reports);
        List<Verdict> verdicts = new ArrayList<>();
        ItemHasher hasher = new ItemHasher(referenceDigest.algorithm(), referenceDigest.bucketBits());
        for (Map.Entry<ReplicaId, Pending> entry : reports.entrySet()) {
            ReplicaId replica = entry.getKey();
            Pending report = entry.getValue();
            if (!report.toJudge()) {
                continue;
            }
            Verdict.Status status = statuses.get(replica);
            List<Verdict.Difference> differences = new ArrayList<>();
            long total = 0;
            boolean localised = true;
            int differingBuckets = 0;
            if (status != Verdict.Status.CLEAN) {
                List<Integer> buckets = referenceDigest.differingBuckets(report.digest());
                differingBuckets = buckets.size();
                Set<Integer> bucketSet = new HashSet<>(buckets);
                Optional<List<KeyHash>> replicaSide = replicas.keyHashes(report.report(), bucketSet, hasher);
                if (replicaSide.isPresent()) {
                    DrillDown.Result result = DrillDown.compare(
                            reference.keyHashes(bucketSet, hasher).iterator(),
                            replicaSide.get().iterator(),
                            KEY_CAP);
                    result.differences()
                            .forEach(d -> differences.add(new Verdict.Difference(d.keyText(), kind(d.kind()))));
                    total = result.total();
                } else {
                    localised = false;
                }
            }
            Map<String, String> peers = new TreeMap<>(roots);
            peers.remove(replica.value());
            Verdict verdict = new Verdict(
                    partition.value(),
                    lsn,
                    replica.value(),
                    status,
                    referenceDigest.rootHex(),
                    report.digest().rootHex(),
                    peers,
                    differingBuckets,
                    differences,
                    total,
                    localised,
                    clock.instant().toString());
            write(partition, replica, verdict);
            raise(partition, verdict);
            replicas.release(report.report());
            verdicts.add(verdict);
        }
        return verdicts;
    }

    /** {@link Classification#classify} of the pending reports' digests. */
    static Map<ReplicaId, Verdict.Status> classify(Digest reference, Map<ReplicaId, Pending> reports) {
        Map<ReplicaId, Digest> digests = new LinkedHashMap<>();
        reports.forEach((replica, pending) -> digests.put(replica, pending.digest()));
        return Classification.classify(reference, digests);
    }

    private static String kind(KeyDifference.Kind kind) {
        return switch (kind) {
            case ONLY_ON_A -> "MISSING_ON_REPLICA";
            case ONLY_ON_B -> "EXTRA_ON_REPLICA";
            case DIFFERENT_VALUE -> "DIFFERENT_VALUE";
        };
    }

    private void write(PartitionId partition, ReplicaId replica, Verdict verdict) throws IOException {
        byte[] json = RepositoryJson.MAPPER.writeValueAsBytes(verdict);
        store.put(PutRequest.overwrite(
                RepositoryLayout.verdictKey(partition, verdict.lsn(), replica),
                ObjectBody.ofBytes(json),
                Checksum.of(ChecksumAlgorithm.CRC32C, json),
                Map.of("status", verdict.status().name())));
    }

    private void raise(PartitionId partition, Verdict verdict) {
        if (verdict.status() == Verdict.Status.CLEAN) {
            return;
        }
        String keys = verdict.localised()
                ? verdict.totalDifferences() + " key(s) differ: "
                        + String.join(
                                ", ",
                                verdict.differences().stream()
                                        .limit(10)
                                        .map(d -> d.key() + " "
                                                + d.kind()
                                                        .toLowerCase(Locale.ROOT)
                                                        .replace('_', ' '))
                                        .toList())
                        + (verdict.totalDifferences() > 10 ? ", …" : "")
                : verdict.differingBuckets()
                        + " digest bucket(s) differ; keys not localised: the replica's retained state"
                        + " is not reachable from this machine";
        AlertType type = switch (verdict.status()) {
            case REPLICA_DIVERGED -> AlertType.REPLICA_DIVERGED;
            case ARCHIVE_DIVERGED -> AlertType.ARCHIVE_DIVERGED;
            default -> AlertType.NO_MAJORITY;
        };
        String who = switch (verdict.status()) {
            case REPLICA_DIVERGED ->
                "replica " + verdict.replica() + " differs from the reference built from the archive"
                        + (verdict.peerRoots().isEmpty()
                                ? ""
                                : " (peers " + new TreeSet<>(verdict.peerRoots().keySet()) + " at the same LSN)");
            case ARCHIVE_DIVERGED ->
                "every replica agrees, but the reference built from the archive differs from replica "
                        + verdict.replica();
            default -> "replica " + verdict.replica() + ", its peers and the reference disagree with no majority";
        };
        String action = switch (verdict.status()) {
            case REPLICA_DIVERGED ->
                "rebuild this replica from its peers or a restore, and find what lost or changed these"
                        + " writes (the keys name them)";
            case ARCHIVE_DIVERGED ->
                "the archive or the replay is wrong: run 'vigil verify archive', compare the archived"
                        + " segments with the replicas' WAL, and do not restore from the archive until this is explained";
            default ->
                "stop writes to this partition if you can and compare the replicas key by key; nobody can say"
                        + " which state is right";
        };
        alerts.raise(Alert.of(type, clock.instant())
                .partition(partition)
                .replica(ReplicaId.of(verdict.replica()))
                .lsnRange(new LsnRange(verdict.lsn(), verdict.lsn()))
                .message("partition " + partition + " at LSN " + verdict.lsn() + ": " + who + "; " + keys)
                .action(action)
                .detail(
                        "verdict",
                        RepositoryLayout.verdictKey(partition, verdict.lsn(), ReplicaId.of(verdict.replica())))
                .build());
    }

    /** A scrub report at an LSN being judged, with its decoded digest; {@code toJudge} when this run writes its verdict. */
    record Pending(ScrubReport report, Digest digest, boolean toJudge) {}

    record NavigableReports(TreeMap<Long, Map<ReplicaId, Pending>> byLsn) {}

    /** One replica's scrub report at one LSN. */
    private record ReportAt(long lsn, ReplicaId replica) {
        static final Comparator<ReportAt> ORDER = Comparator.comparingLong(ReportAt::lsn)
                .thenComparing(r -> r.replica().value());
    }

    private NavigableReports pendingReports(PartitionId partition) throws IOException {
        Set<String> judged = new HashSet<>();
        Map<ReportAt, Set<String>> scrubKeys = new TreeMap<>(ReportAt.ORDER);
        store.forEach(RepositoryLayout.verdictsPrefix(partition), verdict -> judged.add(verdict.key()));
        store.forEach(
                RepositoryLayout.scrubPrefix(partition),
                report -> RepositoryLayout.parseScrubKey(report.key())
                        .ifPresent(k -> scrubKeys
                                .computeIfAbsent(new ReportAt(k.lsn(), k.replica()), x -> new HashSet<>())
                                .add(k.extension())));
        // LSNs with a report this run must judge; every complete report at those LSNs takes part.
        Map<Long, List<ReplicaId>> complete = new TreeMap<>();
        Set<Long> toJudgeAt = new HashSet<>();
        Set<ReportAt> toJudge = new HashSet<>();
        for (Map.Entry<ReportAt, Set<String>> entry : scrubKeys.entrySet()) {
            if (!entry.getValue().containsAll(Set.of("json", "digest"))) {
                continue;
            }
            long lsn = entry.getKey().lsn();
            ReplicaId replica = entry.getKey().replica();
            complete.computeIfAbsent(lsn, l -> new ArrayList<>()).add(replica);
            boolean mine = onlyReplica.map(replica::equals).orElse(true);
            if (mine && !judged.contains(RepositoryLayout.verdictKey(partition, lsn, replica))) {
                toJudgeAt.add(lsn);
                toJudge.add(entry.getKey());
            }
        }
        TreeMap<Long, Map<ReplicaId, Pending>> byLsn = new TreeMap<>();
        for (long lsn : toJudgeAt) {
            for (ReplicaId replica : complete.get(lsn)) {
                ScrubReport report = RepositoryJson.MAPPER.readValue(
                        read(RepositoryLayout.scrubKey(partition, lsn, replica, "json")), ScrubReport.class);
                String digestKey = RepositoryLayout.scrubKey(partition, lsn, replica, "digest");
                byLsn.computeIfAbsent(lsn, l -> new TreeMap<>())
                        .put(
                                replica,
                                new Pending(
                                        report,
                                        Digest.decode(read(digestKey), digestKey),
                                        toJudge.contains(new ReportAt(lsn, replica))));
            }
        }
        return new NavigableReports(byLsn);
    }

    private byte[] read(String key) throws IOException {
        try (ObjectStream in = store.get(key)) {
            return in.readAllBytes();
        }
    }
}
