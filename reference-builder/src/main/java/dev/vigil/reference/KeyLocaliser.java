package dev.vigil.reference;

import dev.vigil.core.Keys;
import dev.vigil.core.digest.Digest;
import dev.vigil.core.digest.DrillDown;
import dev.vigil.core.digest.ItemHasher;
import dev.vigil.core.digest.KeyDifference;
import dev.vigil.core.digest.KeyHash;
import dev.vigil.core.repository.ReplicaKeySource;
import dev.vigil.core.repository.ScrubReport;
import dev.vigil.core.repository.Verdict;
import dev.vigil.core.sketch.DifferenceSketch;
import dev.vigil.core.sketch.SketchDecoding;
import dev.vigil.core.sketch.SketchItem;
import dev.vigil.reference.PendingReports.Pending;
import dev.vigil.replay.ReferenceState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Names the keys behind a difference of digests. First from the difference sketches (the report's and the
 * reference's at the same LSN, on whatever machine judges): their difference is decoded, and the items found must
 * account exactly for every differing digest bucket, item hash by item hash, before any key is named; a difference
 * larger than the sketch's capacity, or one the digests contradict, names nothing from the sketch. Then, when the
 * replica's retained state is reachable from here (through {@link ReplicaKeySource}), by listing the key hashes of the
 * differing buckets on both sides. Otherwise only the differing buckets are known, and, from the sketch, an estimate
 * of how many items differ. Not thread safe (the reference is not).
 */
final class KeyLocaliser {

    private static final Logger LOG = LoggerFactory.getLogger(KeyLocaliser.class);

    /** How many differing keys a verdict names; {@link Localisation#total()} counts them all. */
    static final int KEY_CAP = 100;

    /**
     * What was found out about a difference.
     *
     * @param differingBuckets how many digest buckets differ
     * @param differences      up to {@link #KEY_CAP} keys, each with its kind
     * @param total            how many keys differ (0 when not localised)
     * @param localised        whether the keys could be named
     * @param how              {@link Verdict#BY_SKETCH}, {@link Verdict#BY_CHECKPOINT}, or why the keys are not named
     * @param estimatedItems   when the sketch could not name them, its own estimate of the differing items (else 0)
     * @param unlocalisedBuckets the differing digest buckets whose keys were not named (empty when they were)
     * @param keysAtLeast      when no key is named: a true lower bound of the differing keys, from the buckets
     * @param keysEstimate     when no key is named: an estimate of the differing keys, from how many buckets differ
     */
    record Localisation(
            int differingBuckets,
            List<Verdict.Difference> differences,
            long total,
            boolean localised,
            @Nullable String how,
            long estimatedItems,
            List<Integer> unlocalisedBuckets,
            long keysAtLeast,
            long keysEstimate) {

        static final Localisation NONE = new Localisation(0, List.of(), 0, true, null, 0, List.of(), 0, 0);

        static Localisation named(int differingBuckets, List<Verdict.Difference> differences, long total, String how) {
            return new Localisation(differingBuckets, differences, total, true, how, 0, List.of(), 0, 0);
        }
    }

    private final ReplicaKeySource replicas;

    KeyLocaliser(ReplicaKeySource replicas) {
        this.replicas = replicas;
    }

    Localisation localise(ReferenceState reference, Digest referenceDigest, Pending report) throws IOException {
        List<Integer> buckets = referenceDigest.differingBuckets(report.digest());
        ItemHasher hasher = new ItemHasher(referenceDigest.algorithm(), referenceDigest.bucketBits());
        Optional<DifferenceSketch> replicaSketch = report.sketch().sketch();
        Optional<DifferenceSketch> referenceSketch = reference.sketch();
        String whyNot;
        long estimate = 0;
        if (replicaSketch.isPresent()
                && referenceSketch.isPresent()
                && replicaSketch.get().shape().sameItems(referenceSketch.get().shape())
                && replicaSketch.get().algorithm() == referenceSketch.get().algorithm()) {
            SketchDecoding decoding =
                    referenceSketch.get().minus(replicaSketch.get()).decode();
            switch (decoding) {
                case SketchDecoding.Decoded decoded -> {
                    if (accountsFor(decoded, referenceDigest, report.digest(), hasher)) {
                        return named(reference, hasher, buckets.size(), decoded);
                    }
                    LOG.warn(
                            "{}: the decoded sketch difference does not account for the digests; not naming keys from it",
                            report.report().partition());
                    whyNot = "the sketches disagree with the digests";
                }
                case SketchDecoding.TooLarge tooLarge -> {
                    estimate = tooLarge.estimatedItems();
                    DifferingKeys keys = DifferingKeys.of(referenceDigest, report.digest());
                    whyNot = "at least " + keys.atLeast() + " key(s) differ (counted from the digest's buckets; about "
                            + keys.estimate() + " by how many buckets differ, an estimate), more than the sketch can"
                            + " name: its capacity is "
                            + replicaSketch.get().shape().capacity()
                            + " differing items, an altered value counting two (raise scrub.sketch-capacity)";
                }
            }
        } else if (report.sketch().problem().isPresent()) {
            whyNot = "the report's sketch is damaged ("
                    + report.sketch().problem().get() + ")";
        } else if (replicaSketch.isEmpty()) {
            whyNot = "the report carries no sketch";
        } else {
            whyNot = "the report's sketch and the reference's differ in shape";
        }
        Set<Integer> bucketSet = new HashSet<>(buckets);
        Optional<List<KeyHash>> replicaSide = replicas.keyHashes(report.report(), bucketSet, hasher);
        if (replicaSide.isEmpty()) {
            DifferingKeys keys = DifferingKeys.of(referenceDigest, report.digest());
            return new Localisation(
                    buckets.size(),
                    List.of(),
                    0,
                    false,
                    whyNot + ", and the replica's retained state is not reachable from this machine",
                    estimate,
                    buckets,
                    keys.atLeast(),
                    keys.estimate());
        }
        DrillDown.Result result = DrillDown.compare(
                reference.keyHashes(bucketSet, hasher).iterator(),
                replicaSide.get().iterator(),
                KEY_CAP);
        List<Verdict.Difference> differences = result.differences().stream()
                .map(d -> new Verdict.Difference(d.keyText(), kind(d.kind())))
                .toList();
        return Localisation.named(buckets.size(), differences, result.total(), Verdict.BY_CHECKPOINT);
    }

    /** The replica's retained state is no longer needed once its report is judged. */
    void release(ScrubReport report) throws IOException {
        replicas.release(report);
    }

    /**
     * Whether the decoded items explain the digests exactly: per bucket, the sum of the reference-only item hashes
     * minus the replica-only ones (modulo 2^128) and the difference of counts equal the digests' differences, in every
     * bucket. A wrong decoding would have to collide in 128-bit sums as well as in the sketch's 64-bit checks.
     */
    private static boolean accountsFor(
            SketchDecoding.Decoded decoded, Digest reference, Digest replica, ItemHasher hasher) {
        Map<Integer, long[]> expected = new HashMap<>(); // high, low, count
        for (SketchItem item : decoded.onlyInA()) {
            accumulate(expected, hasher.bucketOf(item.keyHash()), item, 1);
        }
        for (SketchItem item : decoded.onlyInB()) {
            accumulate(expected, hasher.bucketOf(item.keyHash()), item, -1);
        }
        for (int b = 0; b < reference.bucketCount(); b++) {
            long[] a = reference.bucketSum(b);
            long[] r = replica.bucketSum(b);
            long low = a[1] - r[1];
            long high = a[0] - r[0] - (Long.compareUnsigned(a[1], r[1]) < 0 ? 1 : 0);
            long count = reference.bucketItems(b) - replica.bucketItems(b);
            long[] want = expected.getOrDefault(b, new long[3]);
            if (want[0] != high || want[1] != low || want[2] != count) {
                return false;
            }
        }
        return true;
    }

    private static void accumulate(Map<Integer, long[]> sums, int bucket, SketchItem item, int sign) {
        long[] sum = sums.computeIfAbsent(bucket, b -> new long[3]);
        if (sign > 0) {
            long low = sum[1] + item.itemLow();
            sum[0] += item.itemHigh() + (Long.compareUnsigned(low, sum[1]) < 0 ? 1 : 0);
            sum[1] = low;
        } else {
            long low = sum[1] - item.itemLow();
            sum[0] -= item.itemHigh() + (Long.compareUnsigned(sum[1], item.itemLow()) < 0 ? 1 : 0);
            sum[1] = low;
        }
        sum[2] += sign;
    }

    /** The differing keys, by kind: on both sides a different value, else missing or extra on the replica. */
    private static Localisation named(
            ReferenceState reference, ItemHasher hasher, int differingBuckets, SketchDecoding.Decoded decoded)
            throws IOException {
        Set<Integer> longKeyBuckets = new HashSet<>();
        decoded.onlyInA().stream()
                .filter(item -> !item.keyComplete())
                .forEach(item -> longKeyBuckets.add(hasher.bucketOf(item.keyHash())));
        // One pass over the reference finds every long key the sketch carries only by prefix.
        List<KeyHash> referenceKeys =
                longKeyBuckets.isEmpty() ? List.of() : reference.keyHashes(longKeyBuckets, hasher);
        List<Verdict.Difference> differences = new ArrayList<>();
        List<SketchItem> replicaOnly = new ArrayList<>(decoded.onlyInB());
        for (SketchItem item : decoded.onlyInA()) {
            Optional<SketchItem> other =
                    replicaOnly.stream().filter(item::sameKey).findFirst();
            other.ifPresent(replicaOnly::remove);
            differences.add(new Verdict.Difference(
                    referenceKeyText(referenceKeys, item),
                    other.isPresent()
                            ? Verdict.Difference.Kind.DIFFERENT_VALUE
                            : Verdict.Difference.Kind.MISSING_ON_REPLICA));
        }
        for (SketchItem item : replicaOnly) {
            differences.add(new Verdict.Difference(replicaKeyText(item), Verdict.Difference.Kind.EXTRA_ON_REPLICA));
        }
        differences.sort(Comparator.comparing(Verdict.Difference::key));
        return Localisation.named(
                differingBuckets,
                differences.subList(0, Math.min(KEY_CAP, differences.size())),
                differences.size(),
                decoded.keysIncomplete()
                        .map(why -> Verdict.BY_SKETCH + " (some long keys by their first bytes only: " + why + ")")
                        .orElse(Verdict.BY_SKETCH));
    }

    /** A key the reference holds: whole from the sketch when short enough, else found in the reference's bucket. */
    private static String referenceKeyText(List<KeyHash> referenceKeys, SketchItem item) {
        if (item.keyComplete()) {
            return Keys.printable(item.keyPrefix());
        }
        return referenceKeys.stream()
                .filter(k -> k.high() == item.itemHigh() && k.low() == item.itemLow())
                .filter(k -> k.key().length == item.keyLength()
                        && Arrays.equals(
                                k.key(), 0, item.keyPrefix().length, item.keyPrefix(), 0, item.keyPrefix().length))
                .findFirst()
                .map(k -> Keys.printable(k.key()))
                .orElseGet(() -> replicaKeyText(item));
    }

    /** A key only the replica holds, longer than the sketch carries: its first bytes, its length and its hash. */
    private static String replicaKeyText(SketchItem item) {
        if (item.keyComplete()) {
            return Keys.printable(item.keyPrefix());
        }
        return Keys.printable(item.keyPrefix()) + "… (" + item.keyLength() + " bytes, key hash "
                + Long.toHexString(item.keyHash()) + ")";
    }

    private static Verdict.Difference.Kind kind(KeyDifference.Kind kind) {
        return switch (kind) {
            case ONLY_ON_A -> Verdict.Difference.Kind.MISSING_ON_REPLICA;
            case ONLY_ON_B -> Verdict.Difference.Kind.EXTRA_ON_REPLICA;
            case DIFFERENT_VALUE -> Verdict.Difference.Kind.DIFFERENT_VALUE;
        };
    }
}
