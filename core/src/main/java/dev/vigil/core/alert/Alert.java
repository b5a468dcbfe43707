package dev.vigil.core.alert;

import dev.vigil.core.LsnRange;
import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Something an operator must know, as one notification of an incident. {@code key} names the incident: it is stable
 * for as long as the same problem lasts (type, partition, replica, and an object or LSN range only where those name a
 * different problem, never a figure that grows while it lasts), so a dispatcher sends it once, updates it at most once
 * per window, and resolves it when it ends. {@code time} is when this notification was made, {@code startsAt} when the
 * incident began; {@code message} says what happened with the names an operator needs, {@code action} what to do
 * about it.
 */
public record Alert(
        AlertType type,
        Severity severity,
        Instant time,
        Optional<PartitionId> partition,
        Optional<ReplicaId> replica,
        Optional<LsnRange> lsnRange,
        String message,
        String action,
        String key,
        Map<String, String> details,
        AlertStatus status,
        Instant startsAt) {

    public Alert {
        details = Map.copyOf(details);
        if (startsAt.isAfter(time)) {
            throw new IllegalArgumentException(
                    "alert " + key + " starts at " + startsAt + ", after its notification at " + time);
        }
    }

    /** This alert as a later notification of an incident that began at {@code incidentStart}: still firing. */
    public Alert update(Instant incidentStart) {
        return new Alert(
                type,
                severity,
                time,
                partition,
                replica,
                lsnRange,
                message,
                action,
                key,
                details,
                AlertStatus.FIRING,
                incidentStart.isAfter(time) ? time : incidentStart);
    }

    /**
     * The notification that this incident ended at {@code at}, {@code because} of what (said first in the message);
     * the last firing message is kept as the {@code incident} detail.
     */
    public Alert resolved(Instant at, String because) {
        Map<String, String> resolvedDetails = new LinkedHashMap<>(details);
        resolvedDetails.put("incident", message);
        return new Alert(
                type,
                severity,
                at.isBefore(startsAt) ? startsAt : at,
                partition,
                replica,
                lsnRange,
                "resolved: " + because,
                "nothing: the condition ended",
                key,
                resolvedDetails,
                AlertStatus.RESOLVED,
                startsAt);
    }

    /** When the incident ended: the notification's time once resolved, empty while it fires. */
    public Optional<Instant> endsAt() {
        return status == AlertStatus.RESOLVED ? Optional.of(time) : Optional.empty();
    }

    public static Builder of(AlertType type, Instant time) {
        return new Builder(type, time);
    }

    /** A JSON-ready view with stable field names (used by the JSON-lines and webhook sinks). */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("type", type.name());
        map.put("severity", severity.name());
        map.put("time", time.toString());
        map.put("status", status.spelled());
        map.put("startsAt", startsAt.toString());
        endsAt().ifPresent(end -> map.put("endsAt", end.toString()));
        partition.ifPresent(p -> map.put("partition", p.value()));
        replica.ifPresent(r -> map.put("replica", r.value()));
        lsnRange.ifPresent(r -> {
            map.put("firstLsn", r.first());
            map.put("lastLsn", r.last());
        });
        map.put("message", message);
        map.put("action", action);
        map.put("key", key);
        if (!details.isEmpty()) {
            map.put("details", new LinkedHashMap<>(details));
        }
        return map;
    }

    @Override
    public String toString() {
        return status == AlertStatus.RESOLVED
                ? "RESOLVED " + type + " (since " + startsAt + "): " + message
                : severity + " " + type + ": " + message + " What to do: " + action;
    }

    /** The default key of an incident: its type, partition and replica. */
    public static String key(AlertType type, @Nullable PartitionId partition, @Nullable ReplicaId replica) {
        return type + "|" + (partition == null ? "" : partition) + "|" + (replica == null ? "" : replica);
    }

    /**
     * Builds an alert (a first, firing notification); the key defaults to {@link #key(AlertType, PartitionId,
     * ReplicaId) type, partition and replica}: set one where an object or LSN range names a different problem.
     */
    public static final class Builder {
        private final AlertType type;
        private final Instant time;
        private Severity severity;
        private @Nullable PartitionId partition;
        private @Nullable ReplicaId replica;
        private @Nullable LsnRange lsnRange;
        private @Nullable String message;
        private @Nullable String action;
        private @Nullable String key;
        private final Map<String, String> details = new LinkedHashMap<>();

        private Builder(AlertType type, Instant time) {
            this.type = type;
            this.time = time;
            this.severity = type.defaultSeverity();
        }

        public Builder severity(Severity value) {
            this.severity = value;
            return this;
        }

        public Builder partition(PartitionId value) {
            this.partition = value;
            return this;
        }

        public Builder replica(ReplicaId value) {
            this.replica = value;
            return this;
        }

        public Builder lsnRange(LsnRange value) {
            this.lsnRange = value;
            return this;
        }

        public Builder message(String value) {
            this.message = value;
            return this;
        }

        public Builder action(String value) {
            this.action = value;
            return this;
        }

        /** Overrides the default key, e.g. to include an object key. */
        public Builder key(String value) {
            this.key = value;
            return this;
        }

        public Builder detail(String name, String value) {
            details.put(name, value);
            return this;
        }

        public Alert build() {
            if (message == null || action == null) {
                throw new IllegalStateException(type + " alert needs a message and an action");
            }
            String stableKey = key != null ? key : Alert.key(type, partition, replica);
            return new Alert(
                    type,
                    severity,
                    time,
                    Optional.ofNullable(partition),
                    Optional.ofNullable(replica),
                    Optional.ofNullable(lsnRange),
                    message,
                    action,
                    stableKey,
                    details,
                    AlertStatus.FIRING,
                    time);
        }
    }
}
