package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.cli.config.ConfigLoader;
import dev.vigil.cli.daemon.Daemon;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.node.ArchivedLsnFile;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.store.S3Settings;
import dev.vigil.demo.node.ReplicationGroup;
import dev.vigil.store.s3.S3Stores;
import dev.vigil.testkit.s3.S3Endpoint;
import dev.vigil.testkit.s3.S3ServerKind;
import dev.vigil.testkit.s3.UsingS3;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;

class DaemonTest {

    @TempDir
    Path dir;

    @Test
    void theDaemonArchivesOnItsScheduleAndReportsHealthAndMetricsUntilStopped() throws Exception {
        runDaemonAgainst(ObjectStores.localDirectory(dir.resolve("repo"), Clock.systemUTC()));
    }

    @Test
    @UsingS3(S3ServerKind.S3PROXY)
    void theDaemonArchivesToS3(S3Endpoint endpoint) throws Exception {
        runDaemonAgainst(endpoint.openStore("vigil"));
        assertThat(endpoint.client()
                        .listObjectsV2(l -> l.bucket(endpoint.bucket()).prefix("vigil/partitions/p-0001/wal/"))
                        .keyCount())
                .isEqualTo(3);
    }

    private void runDaemonAgainst(ObjectStore store) throws Exception {
        try (ReplicationGroup group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                        .replicas("r1")
                        .recordsPerSegment(100)
                        .build();
                HttpClient http = HttpClient.newHttpClient()) {
            group.write(250);
            VigilConfig config = ConfigLoader.load(NodeConfigs.local(
                    dir.resolve("vigil.yaml"), dir.resolve("unused"), dir.resolve("work"), group.replica("r1"), """
                    schedule:
                      archive: "* * * * * ?"
                    daemon:
                      http-port: 0
                      shutdown-timeout: 5s
                    """));
            try (VigilServices services = new VigilServices(config, Clock.systemUTC(), store)) {
                services.registerProcessMetrics();
                runDaemon(group, http, services, config);
            }
        }
    }

    private void runDaemon(ReplicationGroup group, HttpClient http, VigilServices services, VigilConfig config)
            throws Exception {
        Daemon daemon = Daemon.start(
                "r1",
                services.daemonServices(),
                config.schedule(),
                config.daemon(),
                true,
                services.metrics(),
                services.alerts(),
                services.clock());
        try {
            awaitArchivedLsn(group, 200);
            group.write(50);
            awaitArchivedLsn(group, 300);

            HttpResponse<String> health = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.httpPort() + "/health"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            JsonNode document = new ObjectMapper().readTree(health.body());
            assertThat(document.get("status").asText()).isEqualTo("UP");
            assertThat(document.get("jobs").get("archive").get("lastSuccess").isNull())
                    .isFalse();

            String scrape = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.httpPort() + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(scrape)
                    .contains(
                            "vigil_job_last_success_timestamp_seconds{job=\"archive\"}",
                            "vigil_archive_archived_lsn{partition=\"p-0001\"} 300.0",
                            "vigil_archive_segments_total{outcome=\"uploaded\",partition=\"p-0001\"} 3.0",
                            "vigil_archive_lag_seconds{partition=\"p-0001\"} 0.0",
                            "vigil_job_failures_total{job=\"report\"} 0.0",
                            "vigil_build_info{java=",
                            "jvm_memory_used_bytes",
                            "process_cpu_usage",
                            "process_uptime_seconds");
            assertThat(scrape)
                    .as("a job that never ran has no last-success sample (a 0 would read as 1970)")
                    .doesNotContain(
                            "vigil_job_last_success_timestamp_seconds{job=\"report\"}",
                            "vigil_job_last_success_timestamp_seconds{job=\"verify-archive\"}");
            for (String line : scrape.split("\n", -1)) {
                if (line.startsWith("# HELP vigil_")) {
                    assertThat(line.split(" ", 4)).as("HELP text of %s", line).hasSize(4);
                    assertThat(line.split(" ", 4)[3]).isNotBlank();
                }
            }
            assertThat(scrape.lines().filter(l -> l.startsWith("# TYPE vigil_")).count())
                    .isEqualTo(scrape.lines()
                            .filter(l -> l.startsWith("# HELP vigil_") && !l.endsWith(" "))
                            .count());
        } finally {
            Instant stopping = Instant.now();
            daemon.stop();
            daemon.awaitStopped();
            assertThat(Duration.between(stopping, Instant.now())).isLessThan(Duration.ofSeconds(20));
        }
    }

    @Test
    void withTheRepositoryUnreachableHealthIsDegradedAndArchivingNeverCountsAsASuccess() throws Exception {
        ObjectStore unreachable = S3Stores.open(
                S3Settings.defaults("vigil-nowhere", "").withEndpoint(URI.create("http://127.0.0.1:9"), true),
                AnonymousCredentialsProvider.create(),
                Clock.systemUTC());
        try (ReplicationGroup group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                        .replicas("r1")
                        .recordsPerSegment(100)
                        .build();
                HttpClient http = HttpClient.newHttpClient()) {
            group.write(250);
            VigilConfig config = ConfigLoader.load(NodeConfigs.local(
                    dir.resolve("vigil.yaml"), dir.resolve("unused"), dir.resolve("work"), group.replica("r1"), """
                    schedule:
                      archive: "* * * * * ?"
                    archive:
                      retry-base: 2s
                      retry-max: 30s
                    daemon:
                      http-port: 0
                      shutdown-timeout: 5s
                    """));
            try (VigilServices services = new VigilServices(config, Clock.systemUTC(), unreachable)) {
                Daemon daemon = Daemon.start(
                        "r1",
                        services.daemonServices(),
                        config.schedule(),
                        config.daemon(),
                        true,
                        services.metrics(),
                        services.alerts(),
                        services.clock());
                try {
                    URI health = URI.create("http://127.0.0.1:" + daemon.httpPort() + "/health");
                    URI metrics = URI.create("http://127.0.0.1:" + daemon.httpPort() + "/metrics");
                    // Wait until the archive job has run at least three times (the first pass fails, later ones back
                    // off).
                    Instant deadline = Instant.now().plusSeconds(30);
                    JsonNode document = null;
                    boolean ranThrice = false;
                    while (!ranThrice && Instant.now().isBefore(deadline)) {
                        document = new ObjectMapper()
                                .readTree(http.send(
                                                HttpRequest.newBuilder(health).build(),
                                                HttpResponse.BodyHandlers.ofString())
                                        .body());
                        String scrape = http.send(
                                        HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
                                .body();
                        Matcher failures = Pattern.compile("vigil_job_failures_total\\{job=\"archive\"} ([0-9.]+)")
                                .matcher(scrape);
                        if (failures.find() && Double.parseDouble(failures.group(1)) >= 3) {
                            assertThat(scrape)
                                    .doesNotContain("vigil_job_last_success_timestamp_seconds{job=\"archive\"}");
                            ranThrice = true;
                            continue;
                        }
                        assertThat(document.get("status").asText())
                                .as("health before the first pass ended (never UP unchecked), or after")
                                .isIn("STARTING", "DEGRADED");
                        Thread.sleep(100);
                    }
                    assertThat(ranThrice)
                            .as("the archive job ran three times within 30 s")
                            .isTrue();
                    assertThat(document.get("status").asText()).isEqualTo("DEGRADED");
                    assertThat(document.get("reasons").toString())
                            .contains("job archive could not finish its last run", "partition p-0001 cannot archive");
                    assertThat(document.get("partitionsNotArchiving").has("p-0001"))
                            .isTrue();
                } finally {
                    daemon.stop();
                    daemon.awaitStopped();
                }
            }
        }
    }

    private static void awaitArchivedLsn(ReplicationGroup group, long lsn) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            if (ArchivedLsnFile.read(group.replica("r1").walDir()).orElse(-1) == lsn) {
                return;
            }
            Thread.onSpinWait();
            Thread.sleep(50);
        }
        throw new AssertionError("archived.lsn did not reach " + lsn);
    }
}
