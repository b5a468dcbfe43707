package dev.vigil.fleet;

import dev.vigil.core.config.FleetConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The fleet's state as the database holds it, read in one query over the {@code verify-partition} rows: how many
 * partitions, how many overdue (never verified and due for longer than {@code fleet.overdue-after}, or last verified
 * longer ago than {@code fleet.verify-every} plus that), how many running and failing, and the oldest verification.
 * Every worker reads the same numbers; dashboards take one worker's or the maximum.
 *
 * @param partitions     partitions with a verification task
 * @param overdue        of those, overdue
 * @param running        tasks a worker holds now
 * @param failing        tasks whose last run failed (a partition's verification or its archive verification)
 * @param neverVerified  partitions without a successful verification yet
 * @param oldestVerified the oldest last successful verification among partitions verified at least once
 * @param readAt         when this was read
 */
public record FleetStats(
        long partitions,
        long overdue,
        long running,
        long failing,
        long neverVerified,
        Optional<Instant> oldestVerified,
        Instant readAt) {

    // Verified means a completed verification (vigil_partitions), not db-scheduler's last_success, which a deferral
    // to the partition's previous worker also sets.
    private static final String QUERY = "select count(*),"
            + " count(*) filter (where (p.verified_at is null and t.execution_time < ?) or p.verified_at < ?),"
            + " count(*) filter (where t.picked),"
            + " count(*) filter (where coalesce(t.consecutive_failures, 0) > 0)"
            + " + (select count(*) from scheduled_tasks a where a.task_name = ?"
            + " and coalesce(a.consecutive_failures, 0) > 0),"
            + " count(*) filter (where p.verified_at is null),"
            + " min(p.verified_at)"
            + " from scheduled_tasks t left join vigil_partitions p on p.partition = t.task_instance"
            + " where t.task_name = ?";

    /** Reads the current figures. */
    static FleetStats read(DataSource database, FleetConfig config, Clock clock) throws SQLException {
        Instant now = clock.instant();
        try (Connection connection = database.getConnection();
                PreparedStatement query = connection.prepareStatement(QUERY)) {
            query.setQueryTimeout(30);
            query.setTimestamp(1, Timestamp.from(now.minus(config.overdueAfter())));
            query.setTimestamp(2, Timestamp.from(now.minus(config.verifyEvery().plus(config.overdueAfter()))));
            query.setString(3, Fleet.VERIFY_ARCHIVE);
            query.setString(4, Fleet.VERIFY_PARTITION);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                Timestamp oldest = row.getTimestamp(6);
                return new FleetStats(
                        row.getLong(1),
                        row.getLong(2),
                        row.getLong(3),
                        row.getLong(4),
                        row.getLong(5),
                        Optional.ofNullable(oldest).map(Timestamp::toInstant),
                        now);
            }
        }
    }

    /** The share of partitions overdue (0 when there are none). */
    public double overdueRatio() {
        return partitions == 0 ? 0 : (double) overdue / partitions;
    }

    /** Seconds since the oldest verification, or empty when none has been verified. */
    public Optional<Duration> oldestVerificationAge() {
        return oldestVerified.map(at -> Duration.between(at, readAt));
    }
}
