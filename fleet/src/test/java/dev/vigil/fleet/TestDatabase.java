package dev.vigil.fleet;

import com.zaxxer.hikari.HikariDataSource;
import dev.vigil.core.config.FleetConfig;
import dev.vigil.demo.postgres.EmbeddedPostgresServer;
import java.io.IOException;
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

/** A real PostgreSQL for one test, with fast fleet settings and pooled data sources closed with it. */
final class TestDatabase implements AutoCloseable {

    private final EmbeddedPostgresServer postgres;
    private final List<HikariDataSource> sources = new ArrayList<>();

    TestDatabase(Path dataDirectory) throws IOException {
        this.postgres = EmbeddedPostgresServer.start(dataDirectory);
    }

    String jdbcUrl() {
        return postgres.jdbcUrl();
    }

    /** Fast settings for tests: a dead worker is taken over after 4 × 200 ms; discovery once an hour. */
    FleetConfig config() {
        return fastConfig(jdbcUrl(), 4, Duration.ofHours(1));
    }

    /** Fast settings for a database at {@code url}, with {@code threads} per worker and discovery that often. */
    static FleetConfig fastConfig(String url, int threads, Duration discoverEvery) {
        return new FleetConfig(
                url,
                Optional.of("postgres"),
                threads,
                Duration.ofHours(1),
                Duration.ofHours(1),
                Duration.ofHours(1),
                discoverEvery,
                Duration.ofMillis(200),
                4,
                Duration.ofMillis(100),
                Duration.ofMillis(100),
                Duration.ofMinutes(30),
                0,
                Duration.ofSeconds(2),
                Optional.empty());
    }

    /** A pooled data source, closed with this database. */
    DataSource dataSource(FleetConfig config) {
        HikariDataSource source = FleetDatabase.dataSource(config, Map.of());
        sources.add(source);
        return source;
    }

    void stop() throws IOException {
        postgres.stop();
    }

    void restart() throws IOException {
        postgres.restart();
    }

    /** Empties the task table between tests. */
    void clear(DataSource source) throws SQLException {
        FleetDatabase.createSchema(source);
        try (Connection connection = source.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("delete from scheduled_tasks");
            statement.execute("delete from vigil_partitions");
            statement.execute("delete from vigil_partition_failures");
            statement.execute("delete from vigil_workers");
        }
    }

    @Override
    public void close() throws IOException {
        sources.forEach(HikariDataSource::close);
        postgres.close();
    }
}
