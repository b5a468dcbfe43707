package dev.vigil.core.repository;

import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The judgement of one replica's scrub report at one LSN, as written to
 * {@code partitions/<pid>/verdicts/<lsn>/<replica>.json}. {@code differences} names up to a capped number of
 * keys ({@code totalDifferences} counts them all); {@code localised} is false when the keys could not be named, in
 * which case only the differing buckets are known. {@code localisation} says how the keys were named ({@code sketch}:
 * from the difference sketches of the report and the reference, on any machine; {@code checkpoint}: from the state the
 * scrubber retained on its node) or why they were not; {@code estimatedItems}, when positive, estimates how many items
 * differ when the sketch could not name them, as the sketch itself guesses it (an altered value is two items);
 * {@code unlocalisedBuckets} lists the differing digest buckets whose keys were not named. All three are absent in
 * verdicts written before they existed and in clean ones. When keys are not named, {@code differingKeysAtLeast} is a
 * true lower bound of the differing keys, counted from the digest's buckets (each differing bucket holds at least
 * one, and at least as many as its count changed by), and {@code differingKeysEstimate} an estimate from how many
 * buckets differ (keys spread over the buckets at random); both 0 when keys were named.
 */
public record Verdict(
        int version,
        PartitionId partition,
        long lsn,
        ReplicaId replica,
        Status status,
        String referenceRoot,
        String replicaRoot,
        Map<String, String> peerRoots,
        int differingBuckets,
        List<Difference> differences,
        long totalDifferences,
        boolean localised,
        Instant judgedAt,
        @Nullable String localisation,
        long estimatedItems,
        List<Integer> unlocalisedBuckets,
        long differingKeysAtLeast,
        long differingKeysEstimate)
        implements VersionedDocument {

    /** How keys were named from the sketches. */
    public static final String BY_SKETCH = "sketch";

    /** How keys were named from the scrubber's retained checkpoint. */
    public static final String BY_CHECKPOINT = "checkpoint";

    /** The format version written now, and the newest this Vigil reads. */
    public static final int VERSION = 1;

    /** The judgement. */
    public enum Status {
        /** The replica equals the reference at this LSN: verified. */
        CLEAN,
        /** The replica differs from the reference while the majority agrees with it: this replica is wrong. */
        REPLICA_DIVERGED,
        /** All replicas agree with each other but not with the reference: the archive or the replay is wrong. */
        ARCHIVE_DIVERGED,
        /** No majority: the replicas and the reference disagree without a winner. */
        NO_MAJORITY
    }

    /** One differing key (printable), and how it differs. */
    public record Difference(String key, Kind kind) {

        /** How a key differs between the reference and the replica. */
        public enum Kind {
            /** The reference holds the key; the replica does not. */
            MISSING_ON_REPLICA,
            /** The replica holds the key; the reference does not. */
            EXTRA_ON_REPLICA,
            /** Both hold the key, with different values. */
            DIFFERENT_VALUE
        }
    }

    public Verdict {
        version = Math.max(version, 1);
        peerRoots = Map.copyOf(peerRoots);
        differences = List.copyOf(differences);
        unlocalisedBuckets = unlocalisedBuckets == null ? List.of() : List.copyOf(unlocalisedBuckets);
    }
}
