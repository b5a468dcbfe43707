package dev.vigil.fleet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * Which workers are alive ({@code vigil_workers}): each renews its row every {@code poll-interval}; a row older than
 * {@code heartbeat × missed-heartbeats} is a worker gone. Rows are kept at a clean stop, so a worker restarted within
 * that time (a rolling restart) is still the same worker to affinity. What the read budget is divided by.
 */
final class WorkerPresence {

    private final DataSource database;

    WorkerPresence(DataSource database) {
        this.database = database;
    }

    /** Renews {@code worker}'s presence (every poll-interval). */
    void seen(String worker, Instant at) throws SQLException {
        try (Connection connection = database.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "insert into vigil_workers (name, seen_at) values (?, ?) on conflict (name) do update"
                                + " set seen_at = excluded.seen_at")) {
            statement.setString(1, worker);
            statement.setTimestamp(2, Timestamp.from(at));
            statement.executeUpdate();
        }
    }

    /** The workers seen since {@code since}. */
    int liveWorkers(Instant since) throws SQLException {
        try (Connection connection = database.getConnection();
                PreparedStatement query =
                        connection.prepareStatement("select count(*) from vigil_workers where seen_at > ?")) {
            query.setTimestamp(1, Timestamp.from(since));
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }
}
