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
 * Something an operator must know. {@code key} is stable for the same problem (type, partition, replica,
 * LSN range, object), so a dispatcher can suppress repeats within a window; {@code message} says what
 * happened with the names an operator needs, {@code action} what to do about it.
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
        Map<String, String> details) {

    public Alert {
        details = Map.copyOf(details);
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
        return severity + " " + type + ": " + message + " What to do: " + action;
    }

    /** Builds an alert; the key defaults to type, partition, replica and LSN range. */
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
            String stableKey = key != null
                    ? key
                    : type + "|" + (partition == null ? "" : partition) + "|" + (replica == null ? "" : replica) + "|"
                            + (lsnRange == null ? "" : lsnRange);
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
                    details);
        }
    }
}
