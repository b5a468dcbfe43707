package dev.vigil.fleet;

import dev.vigil.core.Errors;
import dev.vigil.core.PartitionId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each partition's last completed verification and who did it ({@code vigil_partitions}), and the affinity that
 * follows: the worker that verified a partition last holds its reference in its work-dir, so another worker that
 * picks the partition's task defers it to that one (a short reschedule) for up to {@code fleet.affinity-wait}, as
 * long as that worker is alive ({@link WorkerPresence}). A failing task is never deferred. A deferral is not a
 * verification: {@link #verified} alone records one, and the fleet's figures and {@code vigil status} read it.
 */
final class PartitionVerifications {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionVerifications.class);

    private final DataSource database;

    PartitionVerifications(DataSource database) {
        this.database = database;
    }

    /**
     * Whether {@code worker} should leave the partition to the worker that verified it last: that worker is another
     * one, was seen within {@code aliveWithin}, and the task has been deferred for less than {@code affinityWait}.
     * Records the first deferral's time. On a database error: no deferral (verification never waits on affinity).
     */
    boolean deferToPrevious(
            PartitionId partition, String worker, Instant now, Duration aliveWithin, Duration affinityWait) {
        String sql = "select p.verified_by, p.deferred_since from vigil_partitions p join vigil_workers w"
                + " on w.name = p.verified_by where p.partition = ? and p.verified_by <> ? and w.seen_at > ?";
        try (Connection connection = database.getConnection();
                PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, partition.value());
            query.setString(2, worker);
            query.setTimestamp(3, Timestamp.from(now.minus(aliveWithin)));
            Timestamp deferredSince;
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return false; // nobody verified it, or this worker did, or that worker is gone
                }
                deferredSince = row.getTimestamp(2);
            }
            if (deferredSince != null
                    && !deferredSince.toInstant().plus(affinityWait).isAfter(now)) {
                return false; // it waited long enough for its worker: take it
            }
            if (deferredSince == null) {
                try (PreparedStatement update = connection.prepareStatement(
                        "update vigil_partitions set deferred_since = ? where partition = ?")) {
                    update.setTimestamp(1, Timestamp.from(now));
                    update.setString(2, partition.value());
                    update.executeUpdate();
                }
            }
            return true;
        } catch (SQLException e) {
            LOG.warn(
                    "could not read {}'s last verifier from the fleet database ({}): verifying it here",
                    partition.value(),
                    Errors.messageWithCauses(e));
            return false;
        }
    }

    /** Records a completed verification by {@code worker}; clears a deferral. */
    void verified(PartitionId partition, String worker, Instant at) {
        String sql = "insert into vigil_partitions (partition, verified_at, verified_by, deferred_since)"
                + " values (?, ?, ?, null) on conflict (partition) do update set verified_at = excluded.verified_at,"
                + " verified_by = excluded.verified_by, deferred_since = null";
        try (Connection connection = database.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, partition.value());
            statement.setTimestamp(2, Timestamp.from(at));
            statement.setString(3, worker);
            statement.executeUpdate();
        } catch (SQLException e) {
            // The partition then looks older than it is (a false alarm at worst, never a false "verified").
            LOG.warn(
                    "could not record {}'s verification in the fleet database: {}",
                    partition.value(),
                    Errors.messageWithCauses(e));
        }
    }

    /** Forgets a partition that left the repository. */
    void retired(PartitionId partition) throws SQLException {
        try (Connection connection = database.getConnection();
                PreparedStatement delete =
                        connection.prepareStatement("delete from vigil_partitions where partition = ?")) {
            delete.setString(1, partition.value());
            delete.executeUpdate();
        }
    }
}
