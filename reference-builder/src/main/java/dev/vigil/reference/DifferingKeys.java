package dev.vigil.reference;

import dev.vigil.core.digest.Digest;

/**
 * How many keys differ between two digests when nobody can name them: a lower bound that is always true, and an
 * estimate labelled as such. Each differing bucket holds at least one differing key, and at least as many as its item
 * count changed by (a lost or extra key changes it by one; an altered value not at all), so summing {@code max(1,
 * |count change|)} over the differing buckets never overcounts. The estimate inverts the bucket occupancy of keys
 * spread at random over {@code B} buckets: {@code k} differing buckets of {@code B} are what about {@code -B ln(1 -
 * k/B)} keys occupy; it is never below the lower bound. Immutable.
 *
 * @param atLeast  a true lower bound of the differing keys
 * @param estimate an estimate of the differing keys (at least {@code atLeast})
 */
record DifferingKeys(long atLeast, long estimate) {

    static DifferingKeys of(Digest reference, Digest replica) {
        long atLeast = 0;
        int differing = 0;
        int buckets = reference.bucketCount();
        for (int b = 0; b < buckets; b++) {
            long change = Math.abs(reference.bucketItems(b) - replica.bucketItems(b));
            boolean differs = change != 0
                    || reference.bucketSum(b)[0] != replica.bucketSum(b)[0]
                    || reference.bucketSum(b)[1] != replica.bucketSum(b)[1];
            if (differs) {
                differing++;
                atLeast += Math.max(1, change);
            }
        }
        long estimate = atLeast;
        if (differing < buckets && buckets > 1) {
            double spread = -buckets * Math.log1p(-(double) differing / buckets);
            estimate = Math.max(atLeast, Math.round(spread));
        }
        return new DifferingKeys(atLeast, estimate);
    }
}
