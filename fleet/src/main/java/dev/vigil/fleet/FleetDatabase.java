package dev.vigil.fleet;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.vigil.core.config.FleetConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The fleet's PostgreSQL database: a {@link DataSource} from {@code fleet.jdbc-url}, with the password from the
 * environment ({@code VIGIL_FLEET_PASSWORD}, else {@code PGPASSWORD}) or, when neither is set, from {@code ~/.pgpass}
 * (read by the PostgreSQL driver itself); and db-scheduler's table, created if absent.
 */
public final class FleetDatabase {

    private static final int CONNECT_TIMEOUT_SECONDS = 10;

    /** How long a worker's query may wait for the database's answer (the fleet's queries take milliseconds). */
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);

    private FleetDatabase() {}

    /**
     * A pooled data source for {@code config}'s database ({@code threads} + 4 connections: the tasks, polling,
     * heartbeats, the figures); the caller closes it. {@code environment} is normally {@link System#getenv()}.
     */
    public static HikariDataSource dataSource(FleetConfig config, Map<String, String> environment) {
        return dataSource(config, environment, Duration.ofSeconds(CONNECT_TIMEOUT_SECONDS), SOCKET_TIMEOUT);
    }

    /**
     * One connection at a time, no pool, for a command that must answer within a bound ({@code vigil status},
     * {@code check-config --connect}): a refused connection is an answer at once (a pool would retry it for its whole
     * connection timeout), and connecting, logging in and every query each give up after {@code timeout}.
     */
    public static DataSource unpooled(FleetConfig config, Map<String, String> environment, Duration timeout) {
        return source(config, environment, timeout, timeout);
    }

    /**
     * A pool of one connection for what a worker reads every poll interval (its figures and presence), apart from the
     * work's pool so that the database gone is noticed within one poll interval: waiting for a connection gives up
     * after half the poll interval (at least 250 ms), a connection idle since the last read is validated within
     * 250 ms, and a query that gets no answer fails after the poll interval (at least a second, the driver's unit). A
     * worker holds one more connection for it. The caller closes it.
     */
    public static HikariDataSource figures(FleetConfig config, Map<String, String> environment) {
        Duration poll = config.pollInterval();
        Duration socket = Duration.ofSeconds(Math.max(1, Math.min(60, (poll.toMillis() + 999) / 1000)));
        PGSimpleDataSource source = source(config, environment, socket, socket);
        HikariConfig pool = new HikariConfig();
        pool.setDataSource(source);
        pool.setPoolName("vigil-fleet-figures");
        pool.setMaximumPoolSize(1);
        pool.setMinimumIdle(1);
        pool.setConnectionTimeout(Math.max(250, Math.min(10_000, poll.toMillis() / 2)));
        pool.setValidationTimeout(250);
        pool.setInitializationFailTimeout(-1);
        return new HikariDataSource(pool);
    }

    private static PGSimpleDataSource source(
            FleetConfig config, Map<String, String> environment, Duration connect, Duration socket) {
        int connectSeconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, connect.toSeconds()));
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setURL(config.jdbcUrl());
        config.user().or(() -> Optional.ofNullable(environment.get("PGUSER"))).ifPresent(source::setUser);
        String password = environment.getOrDefault("VIGIL_FLEET_PASSWORD", environment.get("PGPASSWORD"));
        if (password != null) {
            source.setPassword(password);
        }
        source.setConnectTimeout(connectSeconds);
        source.setLoginTimeout(connectSeconds);
        // A database that accepts connections but stops answering (a frozen server, a black-holed route) fails a query
        // after this instead of holding its thread forever.
        source.setSocketTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, socket.toSeconds())));
        source.setApplicationName("vigil");
        return source;
    }

    private static HikariDataSource dataSource(
            FleetConfig config, Map<String, String> environment, Duration connect, Duration socket) {
        int connectSeconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, connect.toSeconds()));
        PGSimpleDataSource source = source(config, environment, connect, socket);
        HikariConfig pool = new HikariConfig();
        pool.setDataSource(source);
        pool.setPoolName("vigil-fleet");
        pool.setMaximumPoolSize(config.threads() + 4);
        pool.setMinimumIdle(1);
        // An unreachable database is an answer within seconds (the worker reports it), not a 30-second wait.
        pool.setConnectionTimeout(TimeUnit.SECONDS.toMillis(connectSeconds));
        pool.setValidationTimeout(Math.max(250, Math.min(3_000, TimeUnit.SECONDS.toMillis(connectSeconds) / 2)));
        pool.setInitializationFailTimeout(-1); // the schema creation says why the database cannot be reached
        return new HikariDataSource(pool);
    }

    /**
     * Creates db-scheduler's table and indexes if they are absent (safe to run from every worker at every start).
     *
     * @throws SQLException naming the database when it cannot be reached or the table cannot be created
     */
    public static void createSchema(DataSource database) throws SQLException {
        String ddl;
        try (InputStream in = Objects.requireNonNull(
                FleetDatabase.class.getResourceAsStream("schema.sql"), "schema.sql is packaged")) {
            ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the packaged schema.sql", e);
        }
        try (Connection connection = database.getConnection();
                Statement statement = connection.createStatement()) {
            // Two workers starting together may race on "if not exists"; a lock makes the creation one at a time.
            connection.setAutoCommit(false);
            statement.execute("select pg_advisory_xact_lock(7368617)");
            for (String sql : ddl.split(";", -1)) {
                String trimmed = sql.replaceAll("(?m)^--.*$", "").trim();
                if (!trimmed.isEmpty()) {
                    statement.execute(trimmed);
                }
            }
            connection.commit();
        }
    }

    /** Whether the database answers a trivial query within {@code timeoutSeconds}. */
    public static boolean reachable(DataSource database, int timeoutSeconds) {
        try (Connection connection = database.getConnection()) {
            return connection.isValid(timeoutSeconds);
        } catch (SQLException e) {
            return false;
        }
    }
}
