package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.demo.node.ReplicationGroup;
import dev.vigil.demo.node.SimulatedReplica;
import dev.vigil.encryption.Keyring;
import dev.vigil.testkit.s3.S3Endpoint;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's path on each S3 implementation, through the commands: archive a node's WAL, verify the archive,
 * restore the partition and prove it, with credentials only from the AWS SDK's default chain.
 */
abstract class S3EndToEndContract {

    @TempDir
    Path dir;

    @Test
    void archiveVerifyAndRestoreThroughTheCommands(S3Endpoint endpoint) throws Exception {
        try (ReplicationGroup group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                .replicas("r1")
                .recordsPerSegment(100)
                .build()) {
            group.write(350);
            SimulatedReplica node = group.replica("r1");
            String repository = """
                      url: s3://%s/vigil
                      s3:
                        endpoint: %s
                    """.formatted(endpoint.bucket(), endpoint.endpoint());
            if (!endpoint.kind().refusesDamagedPuts()) {
                // With the default (auto), Vigil refuses a server that validates neither checksum headers nor
                // Content-MD5, naming the setting; an operator who accepts that sets it.
                Path refused = NodeConfigs.write(dir.resolve("auto.yaml"), repository, dir.resolve("work"), node, "");
                CliRun archive = DefaultChainCredentials.of(
                        endpoint, () -> CliRun.of("archive", "--config", refused.toString()));
                assertThat(archive.exitCode()).as(archive.out() + archive.err()).isEqualTo(ExitCodes.USAGE);
                assertThat(archive.err())
                        .contains("validates neither x-amz-checksum-*", "set checksum-header or content-md5");
                repository += "    integrity: checksum-header\n";
            }
            Path config = NodeConfigs.write(dir.resolve("vigil.yaml"), repository, dir.resolve("work"), node, "");
            CliRun archive =
                    DefaultChainCredentials.of(endpoint, () -> CliRun.of("archive", "--config", config.toString()));
            assertThat(archive.exitCode()).as(archive.out() + archive.err()).isEqualTo(ExitCodes.OK);
            assertThat(archive.out()).contains("partition p-0001: 3 uploaded", "archived.lsn 300");
            CliRun again =
                    DefaultChainCredentials.of(endpoint, () -> CliRun.of("archive", "--config", config.toString()));
            assertThat(again.exitCode()).as(again.out() + again.err()).isEqualTo(ExitCodes.OK);
            assertThat(again.out()).contains("partition p-0001: 0 uploaded", "archived.lsn 300");

            CliRun verify = DefaultChainCredentials.of(
                    endpoint, () -> CliRun.of("verify", "archive", "--config", config.toString()));
            assertThat(verify.exitCode()).as(verify.out() + verify.err()).isEqualTo(ExitCodes.OK);
            assertThat(verify.out()).contains("partition p-0001: 3 objects, 3 verified now", "0 corrupt");

            CliRun restore = DefaultChainCredentials.of(
                    endpoint,
                    () -> CliRun.of(
                            "restore",
                            "--config",
                            config.toString(),
                            "--partition",
                            "p-0001",
                            "--latest",
                            "--target",
                            dir.resolve("restored").toString()));
            assertThat(restore.exitCode()).as(restore.out() + restore.err()).isEqualTo(ExitCodes.OK);
            assertThat(restore.out())
                    .contains(
                            "VERIFIED  partition p-0001 restored to LSN 300",
                            "check: reference digest at LSN 300 (replayed from the archive): match");

            CliRun retention = DefaultChainCredentials.of(
                    endpoint, () -> CliRun.of("retention", "--config", config.toString(), "--dry-run"));
            assertThat(retention.exitCode())
                    .as(retention.out() + retention.err())
                    .isIn(ExitCodes.OK, ExitCodes.FINDINGS);
            assertThat(retention.out()).contains("p-0001", "would expire", "restorable LSNs 0..300");
        }
    }

    /**
     * The same path with encryption on: archived objects are ciphertext in the bucket, a rotation and a rewrap (a
     * replacement "only while unchanged" on this server) put every object under the new key, and with the old key gone
     * the archive still verifies and restores.
     */
    @Test
    void anEncryptedArchiveRotatedAndRewrappedStillVerifiesAndRestoresWithoutTheOldKey(S3Endpoint endpoint)
            throws Exception {
        Path keyring = dir.resolve("keys/keyring.json");
        assertThat(CliRun.of("keys", "create", "--keyring", keyring.toString(), "--id", "k1")
                        .exitCode())
                .isEqualTo(ExitCodes.OK);
        try (ReplicationGroup group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                .replicas("r1")
                .recordsPerSegment(100)
                .build()) {
            group.write(350);
            String repository = """
                      url: s3://%s/encrypted
                      s3:
                        endpoint: %s
                    """.formatted(endpoint.bucket(), endpoint.endpoint())
                    + (endpoint.kind().refusesDamagedPuts() ? "" : "    integrity: checksum-header\n");
            Path config = NodeConfigs.write(
                    dir.resolve("vigil.yaml"),
                    repository,
                    dir.resolve("work"),
                    group.replica("r1"),
                    "encryption:\n  keyring: " + keyring + "\n  repository-id: s3-e2e\n");
            CliRun archive =
                    DefaultChainCredentials.of(endpoint, () -> CliRun.of("archive", "--config", config.toString()));
            assertThat(archive.exitCode()).as(archive.out() + archive.err()).isEqualTo(ExitCodes.OK);
            assertThat(CliRun.of("keys", "rotate", "--config", config.toString(), "--id", "k2")
                            .exitCode())
                    .isEqualTo(ExitCodes.OK);

            CliRun rewrap = DefaultChainCredentials.of(
                    endpoint, () -> CliRun.of("keys", "rewrap", "--config", config.toString()));
            assertThat(rewrap.exitCode()).as(rewrap.out() + rewrap.err()).isEqualTo(ExitCodes.OK);
            assertThat(rewrap.out()).contains("OK: every selected object is under key k2");

            Keyring rotated = Keyring.load(keyring);
            new Keyring(Keyring.VERSION, "k2", List.of(rotated.key("k2").orElseThrow())).save(keyring);
            CliRun check = DefaultChainCredentials.of(
                    endpoint, () -> CliRun.of("keys", "check", "--config", config.toString()));
            assertThat(check.exitCode()).as(check.out() + check.err()).isEqualTo(ExitCodes.OK);
            assertThat(check.out()).contains("open under key k2", "0 object(s) in plaintext");
            CliRun verify = DefaultChainCredentials.of(
                    endpoint, () -> CliRun.of("verify", "archive", "--config", config.toString()));
            assertThat(verify.exitCode()).as(verify.out() + verify.err()).isEqualTo(ExitCodes.OK);
            assertThat(verify.out()).contains("partition p-0001: 3 objects, 3 verified now", "0 corrupt");
            CliRun restore = DefaultChainCredentials.of(
                    endpoint,
                    () -> CliRun.of(
                            "restore",
                            "--config",
                            config.toString(),
                            "--partition",
                            "p-0001",
                            "--latest",
                            "--target",
                            dir.resolve("restored").toString()));
            assertThat(restore.exitCode()).as(restore.out() + restore.err()).isEqualTo(ExitCodes.OK);
            assertThat(restore.out()).contains("VERIFIED  partition p-0001 restored to LSN 300");
        }
    }
}
