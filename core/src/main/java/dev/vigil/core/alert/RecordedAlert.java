package dev.vigil.core.alert;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An alert notification as {@link RepositoryAlertSink} recorded it: what compliance reports read back. Optional fields
 * are {@code null} when the alert did not carry them; a record written before incidents had a status is a firing one.
 * A record of a type this Vigil does not know (written by a newer one), or without a valid time, type or key, does not
 * read: {@link RecordedAlerts#between} notes it as an unreadable document named by its key.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RecordedAlert(
        AlertType type,
        Severity severity,
        Instant time,
        @Nullable PartitionId partition,
        @Nullable ReplicaId replica,
        @Nullable Long firstLsn,
        @Nullable Long lastLsn,
        String message,
        String action,
        String key,
        Map<String, String> details,
        @Nullable String host,
        @Nullable AlertStatus status,
        @Nullable Instant startsAt,
        @Nullable Instant endsAt) {

    public RecordedAlert {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(key, "key");
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    public Optional<PartitionId> partitionId() {
        return Optional.ofNullable(partition);
    }

    public Optional<ReplicaId> replicaId() {
        return Optional.ofNullable(replica);
    }

    /** Whether this record is the notification that its incident ended. */
    public boolean isResolution() {
        return status == AlertStatus.RESOLVED;
    }
}
