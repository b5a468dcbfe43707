package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.demo.postgres.EmbeddedPostgresServer;
import dev.vigil.testkit.time.Await;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stopped under a running worker: the worker's health and gauges say so within two poll intervals (its
 * figures are read through their own pool with short timeouts, not the work's pool, which waits 10 s for a
 * connection), and {@code vigil status} says the database is down with an exit code of its own.
 */
class FleetOutageTest {

    private static final Duration POLL = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aWorkerTurnsDegradedWithinTwoPollIntervalsOfTheDatabaseStoppingAndStatusExitsThree() throws Exception {
        Files.createDirectories(dir.resolve("repo"));
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dir.resolve("pg"));
                HttpClient http = HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(2))
                        .build()) {
            Path config = Files.writeString(dir.resolve("w1.yaml"), """
                    repository:
                      url: %s
                    work-dir: %s
                    daemon:
                      http-port: 0
                      shutdown-timeout: 5s
                    fleet:
                      jdbc-url: %s
                      user: postgres
                      poll-interval: %ds
                    """.formatted(
                            dir.resolve("repo").toUri(), dir.resolve("work"), postgres.jdbcUrl(), POLL.toSeconds()));
            try (RunningWorker worker = RunningWorker.start(config, "w1")) {
                int port = worker.worker().httpPort();
                Await.until(
                        () -> health(http, port)
                                .path("database")
                                .path("reachable")
                                .asBoolean(),
                        Duration.ofMinutes(1),
                        "the worker reads the database");

                postgres.stop();
                long stopped = System.nanoTime();
                Await.until(
                        () -> "DEGRADED"
                                .equals(health(http, port).path("status").asText()),
                        Duration.ofMinutes(1),
                        "the worker says the database is gone");
                Duration noticed = Duration.ofNanos(System.nanoTime() - stopped);

                assertThat(noticed).as("noticed after %s", noticed).isLessThanOrEqualTo(POLL.multipliedBy(2));
                JsonNode health = health(http, port);
                assertThat(health.path("database").path("reachable").asBoolean())
                        .isFalse();
                assertThat(health.path("reasons").toString()).contains("the fleet database does not answer");
                assertThat(get(http, port, "/metrics")).contains("vigil_fleet_database_up 0.0");

                long asked = System.nanoTime();
                CliRun status = CliRun.of("status", "--config", config.toString(), "--timeout", "6s");
                Duration answered = Duration.ofNanos(System.nanoTime() - asked);
                assertThat(status.exitCode()).as(status.out() + status.err()).isEqualTo(ExitCodes.FAILURE);
                assertThat(status.out())
                        .contains("ATTENTION the fleet database " + postgres.jdbcUrl()
                                + " could not be read (waited up to 4s to connect and for each answer): ")
                        .contains("the partitions' verification is unknown");
                assertThat(answered)
                        .as("a refused connection is an answer at once")
                        .isLessThan(Duration.ofSeconds(6));
            }
        }
    }

    private JsonNode health(HttpClient http, int port) {
        try {
            return json.readTree(get(http, port, "/health"));
        } catch (IOException e) {
            return json.createObjectNode();
        }
    }

    private static String get(HttpClient http, int port, String path) throws IOException {
        try {
            return http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
