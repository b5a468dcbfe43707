package dev.vigil.fleet;

import dev.vigil.core.Errors;
import dev.vigil.core.PartitionId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Why a partition's verification fails, kept in the fleet database ({@code vigil_partition_failures}) from its first
 * failure until it succeeds, for {@code vigil status}: db-scheduler records that a task failed, not why. Best effort:
 * a database that cannot take the record is logged and does not change the task's outcome.
 */
final class PartitionFailures {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionFailures.class);
    private static final int MAX_MESSAGE = 2_000;

    private final DataSource database;

    PartitionFailures(DataSource database) {
        this.database = database;
    }

    /** Records a failure now; the partition's {@code failing_since} stays that of its first failure in a row. */
    void failed(PartitionId partition, String message, Instant at) {
        String sql = "insert into vigil_partition_failures (partition, failing_since, last_failure, message)"
                + " values (?, ?, ?, ?) on conflict (partition) do update"
                + " set last_failure = excluded.last_failure, message = excluded.message";
        try (Connection connection = database.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, partition.value());
            statement.setTimestamp(2, Timestamp.from(at));
            statement.setTimestamp(3, Timestamp.from(at));
            statement.setString(4, message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + " …" : message);
            statement.executeUpdate();
        } catch (SQLException e) {
            LOG.warn(
                    "could not record why {} failed in the fleet database: {}",
                    partition.value(),
                    Errors.messageWithCauses(e));
        }
    }

    /** Forgets the partition's failure after a success; a database error is logged (the row is cleared next time). */
    void succeeded(PartitionId partition) {
        try {
            retired(partition);
        } catch (SQLException e) {
            LOG.warn(
                    "could not clear {}'s failure in the fleet database: {}",
                    partition.value(),
                    Errors.messageWithCauses(e));
        }
    }

    /** Forgets the partition's failure (after a success, or when the partition left the repository). */
    void retired(PartitionId partition) throws SQLException {
        try (Connection connection = database.getConnection();
                PreparedStatement statement =
                        connection.prepareStatement("delete from vigil_partition_failures where partition = ?")) {
            statement.setString(1, partition.value());
            statement.executeUpdate();
        }
    }
}
