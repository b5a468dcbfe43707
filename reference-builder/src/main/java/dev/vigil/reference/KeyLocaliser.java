package dev.vigil.reference;

import dev.vigil.core.digest.Digest;
import dev.vigil.core.digest.DrillDown;
import dev.vigil.core.digest.ItemHasher;
import dev.vigil.core.digest.KeyDifference;
import dev.vigil.core.digest.KeyHash;
import dev.vigil.core.digest.ReplicaKeySource;
import dev.vigil.core.repository.ScrubReport;
import dev.vigil.core.repository.Verdict;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Names the keys behind a difference of digests: lists the key hashes of the differing buckets on both sides (the
 * reference at the report's exact LSN, and the replica's retained state through {@link ReplicaKeySource}) and compares
 * them. When the replica's state cannot be reached from this machine, only the differing buckets are known. Not thread
 * safe (the reference is).
 */
final class KeyLocaliser {

    /** How many differing keys a verdict names; {@link Localisation#total()} counts them all. */
    static final int KEY_CAP = 100;

    /**
     * What was found out about a difference.
     *
     * @param differingBuckets how many digest buckets differ
     * @param differences      up to {@link #KEY_CAP} keys, each with its kind
     * @param total            how many keys differ (0 when not localised)
     * @param localised        whether the keys could be named
     */
    record Localisation(int differingBuckets, List<Verdict.Difference> differences, long total, boolean localised) {

        static final Localisation NONE = new Localisation(0, List.of(), 0, true);
    }

    private final ReplicaKeySource replicas;

    KeyLocaliser(ReplicaKeySource replicas) {
        this.replicas = replicas;
    }

    Localisation localise(ReferenceState reference, Digest referenceDigest, ScrubReport report, Digest replicaDigest)
            throws IOException {
        List<Integer> buckets = referenceDigest.differingBuckets(replicaDigest);
        Set<Integer> bucketSet = new HashSet<>(buckets);
        ItemHasher hasher = new ItemHasher(referenceDigest.algorithm(), referenceDigest.bucketBits());
        Optional<List<KeyHash>> replicaSide = replicas.keyHashes(report, bucketSet, hasher);
        if (replicaSide.isEmpty()) {
            return new Localisation(buckets.size(), List.of(), 0, false);
        }
        DrillDown.Result result = DrillDown.compare(
                reference.keyHashes(bucketSet, hasher).iterator(),
                replicaSide.get().iterator(),
                KEY_CAP);
        List<Verdict.Difference> differences = result.differences().stream()
                .map(d -> new Verdict.Difference(d.keyText(), kind(d.kind())))
                .toList();
        return new Localisation(buckets.size(), differences, result.total(), true);
    }

    /** The replica's retained state is no longer needed once its report is judged. */
    void release(ScrubReport report) throws IOException {
        replicas.release(report);
    }

    private static String kind(KeyDifference.Kind kind) {
        return switch (kind) {
            case ONLY_ON_A -> "MISSING_ON_REPLICA";
            case ONLY_ON_B -> "EXTRA_ON_REPLICA";
            case DIFFERENT_VALUE -> "DIFFERENT_VALUE";
        };
    }
}
