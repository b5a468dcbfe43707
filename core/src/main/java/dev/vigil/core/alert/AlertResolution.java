package dev.vigil.core.alert;

import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Which open incidents ended, when, and why: every open incident of {@code type} (for {@code partition},
 * {@code replica} and with {@code key} where given) except those whose key is in {@code stillOpen}. The raiser that sees a condition end
 * says so without having to remember which keys it raised (it may have raised them before a restart).
 *
 * @param stillOpen keys of incidents of the same scope that still hold (a second gap still missing, say)
 * @param because   what shows that the condition ended, for the resolved notification ("partition p-1 archives
 *                  again")
 */
public record AlertResolution(
        AlertType type,
        Optional<PartitionId> partition,
        Optional<ReplicaId> replica,
        Optional<String> key,
        Set<String> stillOpen,
        Instant at,
        String because) {

    public AlertResolution {
        stillOpen = Set.copyOf(stillOpen);
        if (!type.isCondition()) {
            throw new IllegalArgumentException(type + " is an event: nothing resolves it");
        }
    }

    /** Every open incident of {@code type}, whatever its partition and replica. */
    public static AlertResolution of(AlertType type, Instant at, String because) {
        return new AlertResolution(type, Optional.empty(), Optional.empty(), Optional.empty(), Set.of(), at, because);
    }

    /** The open incidents of {@code type} in {@code partition}, of any replica. */
    public static AlertResolution of(AlertType type, PartitionId partition, Instant at, String because) {
        return new AlertResolution(
                type, Optional.of(partition), Optional.empty(), Optional.empty(), Set.of(), at, because);
    }

    /** The open incidents of {@code type} about {@code replica} in {@code partition}. */
    public static AlertResolution of(
            AlertType type, PartitionId partition, ReplicaId replica, Instant at, String because) {
        return new AlertResolution(
                type, Optional.of(partition), Optional.of(replica), Optional.empty(), Set.of(), at, because);
    }

    /** The open incident of {@code type} with exactly this key. */
    public static AlertResolution ofKey(AlertType type, String key, Instant at, String because) {
        return new AlertResolution(type, Optional.empty(), Optional.empty(), Optional.of(key), Set.of(), at, because);
    }

    /** The same resolution, leaving open the incidents whose keys are given. */
    public AlertResolution except(Set<String> keys) {
        return new AlertResolution(type, partition, replica, key, keys, at, because);
    }

    /** Whether it ends the incident whose last notification is {@code open}. */
    public boolean ends(Alert open) {
        return open.type() == type
                && partition.map(p -> open.partition().equals(Optional.of(p))).orElse(true)
                && replica.map(r -> open.replica().equals(Optional.of(r))).orElse(true)
                && key.map(open.key()::equals).orElse(true)
                && !stillOpen.contains(open.key());
    }
}
