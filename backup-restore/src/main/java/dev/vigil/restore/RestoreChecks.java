package dev.vigil.restore;

import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.digest.Digest;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.repository.Classification;
import dev.vigil.core.repository.PublishedScrub;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.repository.Verdict;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a restore's output is proven against: the reference digest replayed from the archive at the LSN, the scrub
 * reports the replicas published at that LSN (replicas that agree with each other and not with the archive contradict
 * it), and the newest verdicts at or below it (one that blamed the archive contradicts it). Reads the repository.
 */
final class RestoreChecks {

    private final Repository repository;
    private final DigestAlgorithm algorithm;
    private final int bucketBits;

    RestoreChecks(Repository repository, DigestAlgorithm algorithm, int bucketBits) {
        this.repository = repository;
        this.algorithm = algorithm;
        this.bucketBits = bucketBits;
    }

    /**
     * What the checks found, in the words the result shows.
     *
     * @param matches whether the output's digest is the reference's
     */
    record Outcome(List<String> checks, List<String> contradictions, boolean matches) {
        Outcome {
            checks = List.copyOf(checks);
            contradictions = List.copyOf(contradictions);
        }

        /** Verified: the digest matches, and nothing contradicts the archive unless the operator accepted it. */
        boolean verified(boolean acceptArchive) {
            return matches && (contradictions.isEmpty() || acceptArchive);
        }
    }

    Outcome check(
            PartitionId partition,
            long lsn,
            Digest written,
            Digest expected,
            Optional<String> warning,
            List<String> skippedSnapshots,
            boolean acceptArchive)
            throws IOException {
        List<String> checks = new ArrayList<>();
        warning.ifPresent(w -> checks.add("warning: " + w));
        boolean matches = written.sameAs(expected);
        checks.add("reference digest at LSN " + lsn + " (replayed from the archive): "
                + (matches
                        ? "match"
                        : "MISMATCH, the output holds " + written.itemCount() + " items with root "
                                + written.rootHex() + ", the reference " + expected.itemCount() + " with root "
                                + expected.rootHex()));
        skippedSnapshots.forEach(bad -> checks.add("snapshot skipped: " + bad));
        List<String> contradictions = new ArrayList<>();
        Map<ReplicaId, Verdict.Status> statuses = Classification.classify(written, scrubDigestsAt(partition, lsn));
        statuses.forEach((replica, status) -> checks.add("scrub report of replica " + replica + " at LSN " + lsn + ": "
                + (status == Verdict.Status.CLEAN ? "match" : "differs (" + status + ")")));
        statuses.values().stream()
                .filter(Classification::contradictsTheArchive)
                .findFirst()
                .ifPresent(status -> contradictions.add("the scrub reports of replicas " + statuses.keySet()
                        + " at LSN " + lsn + " contradict the archive's state (" + status
                        + ": the replicas agree with each other, not with the archive)"));
        for (Verdict verdict : repository.newestVerdictsAtOrBelow(partition, lsn)) {
            if (Classification.contradictsTheArchive(verdict.status())) {
                contradictions.add("verdict "
                        + RepositoryLayout.verdictKey(partition, verdict.lsn(), verdict.replica())
                        + ": " + verdict.status() + " at LSN " + verdict.lsn()
                        + " (judged " + verdict.judgedAt() + "), the newest verdict at or below LSN " + lsn);
            }
        }
        contradictions.forEach(c -> checks.add("CONTRADICTED: " + c));
        if (!contradictions.isEmpty() && acceptArchive) {
            checks.add("the operator accepted the archive's version (--accept-archive) despite the contradiction");
        }
        return new Outcome(checks, contradictions, matches);
    }

    /** The digests of the complete scrub reports published at {@code lsn}, of this digest's shape, by replica. */
    private Map<ReplicaId, Digest> scrubDigestsAt(PartitionId partition, long lsn) throws IOException {
        Map<ReplicaId, Digest> digests = new TreeMap<>();
        for (PublishedScrub scrub : repository.scrubReportsAt(partition, lsn)) {
            if (scrub.complete()) {
                Digest digest = repository.readScrubDigest(partition, scrub.at());
                if (digest.algorithm() == algorithm && digest.bucketBits() == bucketBits) {
                    digests.put(scrub.at().replica(), digest);
                }
            }
        }
        return digests;
    }
}
