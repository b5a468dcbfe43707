package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.audit.SigningKeyFile;
import dev.vigil.cli.config.ConfigLoader;
import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.AlertType;
import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.store.PutRequest;
import dev.vigil.demo.node.ReplicationGroup;
import dev.vigil.testkit.alert.RecordingAlerts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log on the daemon's schedule: an audit before any checkpoint proves nothing and fails (not a pass); the
 * scheduled checkpoint anchors it; a clean audit resolves {@code REPOSITORY_TAMPERED}; an object planted behind the
 * log's back raises it, naming the object; without {@code audit:} nothing is claimed.
 */
class ScheduledLogTest {

    @TempDir
    Path dir;

    @Test
    void theScheduledCheckpointAnchorsTheScheduledAuditWhichNamesTamperingUntilItIsGone() throws Exception {
        Path key = dir.resolve("keys/log.key");
        SigningKeyFile.create(key, "vigil.test/repo-3", new SecureRandom());
        try (ReplicationGroup group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                .replicas("r1")
                .recordsPerSegment(100)
                .build()) {
            group.write(250);
            Path repo = dir.resolve("repo");
            VigilConfig config = ConfigLoader.load(NodeConfigs.local(
                    dir.resolve("vigil.yaml"),
                    repo,
                    dir.resolve("work"),
                    group.replica("r1"),
                    "audit:\n  origin: vigil.test/repo-3\n  signing-key: " + key + "\n  grace: 0s\n"));
            assertThat(CliRun.of(
                                    "archive",
                                    "--config",
                                    dir.resolve("vigil.yaml").toString())
                            .exitCode())
                    .isEqualTo(ExitCodes.OK);
            RecordingAlerts alerts = new RecordingAlerts();
            ScheduledLog log = new ScheduledLog(config, alerts, Clock.systemUTC());

            assertThatThrownBy(log::audit)
                    .as("entries nobody signed prove nothing: the job fails, it does not pass")
                    .hasMessageContaining("the audit proved nothing: no signed checkpoint");

            assertThat(log.checkpoint().summary()).startsWith("signed the log's checkpoint at ");
            ScheduledLog.Outcome clean = log.audit();
            assertThat(clean.findings()).isZero();
            assertThat(clean.summary()).contains("as the log says", "1 signed checkpoint(s)");
            assertThat(alerts.all()).isEmpty();
            assertThat(alerts.resolutions())
                    .singleElement()
                    .satisfies(r -> assertThat(r.type()).isEqualTo(AlertType.REPOSITORY_TAMPERED));

            ObjectStore raw = ObjectStores.localDirectory(repo, Clock.systemUTC());
            byte[] planted = "planted".getBytes(StandardCharsets.UTF_8);
            raw.put(PutRequest.ifAbsent(
                    "partitions/p-0001/wal/planted.seg",
                    ObjectBody.ofBytes(planted),
                    Checksum.of(ChecksumAlgorithm.CRC32C, planted),
                    Map.of()));
            alerts.clear();
            ScheduledLog.Outcome tampered = log.audit();

            assertThat(tampered.findings()).isEqualTo(1);
            Alert alert = alerts.ofType(AlertType.REPOSITORY_TAMPERED).getFirst();
            assertThat(alert.message())
                    .contains("1 finding(s) of tampering or loss", "INSERTED partitions/p-0001/wal/planted.seg");
            assertThat(alert.action()).contains("vigil audit --config FILE");
            assertThat(alerts.resolutions()).isEmpty();

            raw.delete("partitions/p-0001/wal/planted.seg");
            alerts.clear();
            assertThat(log.audit().findings()).isZero();
            assertThat(alerts.resolutions())
                    .singleElement()
                    .satisfies(r -> assertThat(r.because()).contains("as the log says"));
        }
    }

    @Test
    void withoutAnAuditSectionNothingIsSignedAuditedOrClaimed() throws Exception {
        try (ReplicationGroup group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                .replicas("r1")
                .build()) {
            VigilConfig config = ConfigLoader.load(NodeConfigs.local(
                    dir.resolve("vigil.yaml"), dir.resolve("repo"), dir.resolve("work"), group.replica("r1"), ""));
            RecordingAlerts alerts = new RecordingAlerts();
            ScheduledLog log = new ScheduledLog(config, alerts, Clock.systemUTC());

            assertThat(log.checkpoint().summary()).contains("no audit.signing-key here");
            assertThat(log.audit().summary()).contains("audit: is not configured");
            assertThat(alerts.all()).isEmpty();
            assertThat(alerts.resolutions()).isEmpty();
        }
    }
}
