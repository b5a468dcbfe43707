package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.archiver.Archiver;
import dev.vigil.cli.daemon.Daemon;
import dev.vigil.cli.daemon.DaemonServices;
import dev.vigil.core.alert.AlertPublisher;
import dev.vigil.core.config.ArchiveConfig;
import dev.vigil.core.config.DaemonConfig;
import dev.vigil.core.config.NodeConfig;
import dev.vigil.core.config.ScheduleConfig;
import dev.vigil.core.node.ArchivedLsnFile;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.testkit.node.ReplicationGroup;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.vigil.testkit.s3.S3Endpoint;
import dev.vigil.testkit.s3.S3ServerKind;
import dev.vigil.testkit.s3.UsingS3;

class DaemonTest {

    @TempDir
    Path dir;

    @Test
    void theDaemonArchivesOnItsScheduleAndReportsHealthAndMetricsUntilStopped() throws Exception {
        try (ObjectStore store = ObjectStores.localDirectory(dir.resolve("repo"), Clock.systemUTC())) {
            runDaemonAgainst(store);
        }
    }

    @Test
    @UsingS3(S3ServerKind.S3PROXY)
    void theDaemonArchivesToS3(S3Endpoint endpoint) throws Exception {
        runDaemonAgainst(endpoint.openStore("vigil"));
        assertThat(endpoint.client().listObjectsV2(l -> l.bucket(endpoint.bucket()).prefix("vigil/partitions/p-0001/wal/"))
                .keyCount()).isEqualTo(3);
    }

    private void runDaemonAgainst(ObjectStore store) throws Exception {
        try (ReplicationGroup group = ReplicationGroup.builder(dir.resolve("nodes")).replicas("r1").recordsPerSegment(100).build();
             HttpClient http = HttpClient.newHttpClient()) {
            group.write(250);
            PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            AlertPublisher alerts = alert -> { };
            Archiver archiver = new Archiver(store, new NodeConfig(group.replica("r1").id(), List.of(group.replica("r1").root())),
                    ArchiveConfig.defaults(), alerts, metrics, Clock.systemUTC(), new SplittableRandom(3));
            dev.vigil.scrubber.ArchiveVerifier verifier = new dev.vigil.scrubber.ArchiveVerifier(store, java.util.Optional.empty(),
                    dev.vigil.core.config.VerifyConfig.defaults(), Duration.ofMinutes(15), alerts, Clock.systemUTC(),
                    new SplittableRandom(4));
            dev.vigil.scrubber.Scrubber scrubber = new dev.vigil.scrubber.Scrubber(store,
                    new NodeConfig(group.replica("r1").id(), List.of(group.replica("r1").root())),
                    dev.vigil.core.config.ScrubConfig.defaults(), new dev.vigil.scrubber.RocksDbReplicaSource(dir.resolve("scratch")),
                    dir.resolve("work"), alerts, Clock.systemUTC());
            dev.vigil.reference.Judge judge = new dev.vigil.reference.Judge(store, dir.resolve("work"),
                    new dev.vigil.scrubber.RetainedCheckpoints(new dev.vigil.scrubber.RocksDbReplicaSource(dir.resolve("scratch"))),
                    java.util.Optional.of(group.replica("r1").id()), alerts, Clock.systemUTC());
            dev.vigil.reference.snapshot.Snapshots snapshots = new dev.vigil.reference.snapshot.Snapshots(store,
                    dir.resolve("scratch"), Clock.systemUTC(), 2);
            dev.vigil.restore.Restorer restorer = new dev.vigil.restore.Restorer(store, snapshots, dir.resolve("work"),
                    dev.vigil.core.digest.DigestAlgorithm.XXH128, 12,
                    dev.vigil.reference.snapshot.SnapshotException.raisingAlerts(alerts, Clock.systemUTC()), Clock.systemUTC(),
                    new java.util.SplittableRandom(1));
            DaemonServices services = new DaemonServices(archiver, verifier, scrubber,
                    dev.vigil.core.config.ScrubConfig.defaults(), judge,
                    new dev.vigil.restore.Retention(store, snapshots, dev.vigil.core.config.RetentionConfig.defaults(),
                            Clock.systemUTC()),
                    new dev.vigil.restore.RestoreDrill(store, restorer, snapshots,
                            dev.vigil.core.config.RetentionConfig.defaults(), dir.resolve("work"), alerts, Clock.systemUTC(),
                            new java.util.SplittableRandom(2)));
            Daemon daemon = Daemon.start(services, new ScheduleConfig("* * * * * ?", ScheduleConfig.DEFAULT_VERIFY_ARCHIVE, ScheduleConfig.DEFAULT_SCRUB,
                    ScheduleConfig.DEFAULT_JUDGE, ScheduleConfig.DEFAULT_RETENTION, ScheduleConfig.DEFAULT_RESTORE_DRILL,
                    ScheduleConfig.DEFAULT_REPORT),
                    new DaemonConfig("127.0.0.1", 0, Duration.ofSeconds(5), Duration.ofHours(1)), metrics, Clock.systemUTC());
            try {
                awaitArchivedLsn(group, 200);
                group.write(50);
                awaitArchivedLsn(group, 300);

                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + daemon.httpPort() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
                JsonNode document = new ObjectMapper().readTree(health.body());
                assertThat(document.get("status").asText()).isEqualTo("UP");
                assertThat(document.get("jobs").get("archive").get("lastSuccess").isNull()).isFalse();

                String scrape = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.httpPort()
                        + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
                assertThat(scrape).contains("vigil_job_last_success_timestamp_seconds{job=\"archive\"}",
                        "vigil_job_last_success_timestamp_seconds{job=\"verify-archive\"} 0.0",
                        "vigil_archive_archived_lsn{partition=\"p-0001\"} 300.0",
                        "vigil_archive_segments_total{outcome=\"uploaded\",partition=\"p-0001\"} 3.0",
                        "vigil_archive_lag_seconds{partition=\"p-0001\"} 0.0");
            } finally {
                Instant stopping = Instant.now();
                daemon.stop();
                daemon.awaitStopped();
                assertThat(Duration.between(stopping, Instant.now())).isLessThan(Duration.ofSeconds(20));
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
