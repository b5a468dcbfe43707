package dev.vigil.fleet;

import dev.vigil.core.PartitionId;
import dev.vigil.core.config.FleetConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * One partition's verification task as the fleet database holds it: when it is next due, who holds it now, its last
 * success, and its failure (since when, how many in a row, why). What {@code vigil status} reads to say why a
 * partition is overdue.
 *
 * @param nextDue        when the task is next due (or was: it is waiting when this is past and nobody holds it)
 * @param heldBy         the worker running it now
 * @param lastVerified   its last completed verification
 * @param verifiedBy     the worker that completed it (and holds the partition's reference)
 * @param failures       failed runs in a row (0 when the last run succeeded)
 * @param failingSince   the first of those failures (when Vigil recorded it)
 * @param failure        the last failure's message (when Vigil recorded it)
 */
public record PartitionTask(
        PartitionId partition,
        Instant nextDue,
        Optional<String> heldBy,
        Optional<Instant> lastVerified,
        Optional<String> verifiedBy,
        int failures,
        Optional<Instant> failingSince,
        Optional<String> failure) {

    private static final String QUERY = "select t.task_instance, t.execution_time, t.picked, t.picked_by,"
            + " p.verified_at, coalesce(t.consecutive_failures, 0), f.failing_since, f.message, p.verified_by"
            + " from scheduled_tasks t left join vigil_partition_failures f on f.partition = t.task_instance"
            + " left join vigil_partitions p on p.partition = t.task_instance"
            + " where t.task_name = ? order by t.task_instance";

    /** Every partition's task, by partition. */
    public static Map<PartitionId, PartitionTask> readAll(DataSource database) throws SQLException {
        Map<PartitionId, PartitionTask> tasks = new LinkedHashMap<>();
        try (Connection connection = database.getConnection();
                PreparedStatement query = connection.prepareStatement(QUERY)) {
            query.setQueryTimeout(30);
            query.setString(1, Fleet.VERIFY_PARTITION);
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    int failures = row.getInt(6);
                    PartitionId partition = PartitionId.of(row.getString(1));
                    tasks.put(
                            partition,
                            new PartitionTask(
                                    partition,
                                    row.getTimestamp(2).toInstant(),
                                    row.getBoolean(3) ? Optional.ofNullable(row.getString(4)) : Optional.empty(),
                                    instant(row.getTimestamp(5)),
                                    Optional.ofNullable(row.getString(9)),
                                    failures,
                                    failures > 0 ? instant(row.getTimestamp(7)) : Optional.empty(),
                                    failures > 0 ? Optional.ofNullable(row.getString(8)) : Optional.empty()));
                }
            }
        }
        return tasks;
    }

    private static Optional<Instant> instant(@Nullable Timestamp timestamp) {
        return Optional.ofNullable(timestamp).map(Timestamp::toInstant);
    }

    /**
     * Overdue as the fleet's gauges count it: never verified and due for longer than {@code fleet.overdue-after}, or
     * last verified longer ago than {@code fleet.verify-every} plus that.
     */
    public boolean overdue(FleetConfig config, Instant now) {
        return lastVerified
                .map(at -> at.isBefore(now.minus(config.verifyEvery().plus(config.overdueAfter()))))
                .orElse(nextDue.isBefore(now.minus(config.overdueAfter())));
    }

    /** How long it has been due without running ({@code Duration.ZERO} when it is not due yet, or is running). */
    public Duration waiting(Instant now) {
        return heldBy.isPresent() || nextDue.isAfter(now) ? Duration.ZERO : Duration.between(nextDue, now);
    }
}
