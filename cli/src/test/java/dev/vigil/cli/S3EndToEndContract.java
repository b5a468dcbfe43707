package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.demo.node.ReplicationGroup;
import dev.vigil.demo.node.SimulatedReplica;
import dev.vigil.testkit.s3.S3Endpoint;
import java.nio.file.Path;
import java.time.Clock;
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
}
