package dev.vigil.core.alert;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An alert notification as {@link RepositoryAlertSink} recorded it: what compliance reports read back. Optional fields
 * are {@code null} when the alert did not carry them; a record written before incidents had a status is a firing one.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RecordedAlert(
        String type,
        String severity,
        String time,
        String partition,
        String replica,
        Long firstLsn,
        Long lastLsn,
        String message,
        String action,
        String key,
        Map<String, String> details,
        String host,
        @Nullable String status,
        @Nullable String startsAt,
        @Nullable String endsAt) {

    public RecordedAlert {
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    public Instant instant() {
        return Instant.parse(time);
    }

    public Optional<String> partitionId() {
        return Optional.ofNullable(partition);
    }

    public Optional<String> replicaId() {
        return Optional.ofNullable(replica);
    }

    /** Whether this record is the notification that its incident ended. */
    public boolean isResolution() {
        return "resolved".equals(status);
    }
}
