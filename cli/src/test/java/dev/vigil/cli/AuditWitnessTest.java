package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.demo.node.ReplicationGroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code audit.witness}: `vigil audit checkpoint` copies each checkpoint to a second location; the checkpoint deleted
 * from the repository is then named by `vigil audit` (exit 1), while the repository alone has nothing to show for it;
 * `check-config --connect` probes the witness (and refuses a local one that does not exist); a witness section that is
 * not a location is a configuration error naming it.
 */
class AuditWitnessTest {

    @TempDir
    Path dir;

    @Test
    void aCheckpointDeletedFromTheRepositoryIsNamedThroughTheWitness() throws Exception {
        Path signingKey = dir.resolve("keys/log-signing.key");
        assertThat(CliRun.of("audit", "keygen", "--key", signingKey.toString(), "--name", "vigil.test/w")
                        .exitCode())
                .isEqualTo(ExitCodes.OK);
        try (ReplicationGroup group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                .replicas("r1")
                .recordsPerSegment(100)
                .build()) {
            group.write(250);
            Path witness = dir.resolve("witness");
            String witnessUrl = witness.toUri().toString();
            String audit = "audit:\n  origin: vigil.test/w\n  signing-key: " + signingKey + "\n  grace: 0s\n";
            Path config = NodeConfigs.local(
                    dir.resolve("vigil.yaml"),
                    dir.resolve("repo"),
                    dir.resolve("work"),
                    group.replica("r1"),
                    audit + "  witness:\n    url: " + witnessUrl + "\n");
            Path unwitnessed = NodeConfigs.local(
                    dir.resolve("alone.yaml"), dir.resolve("repo"), dir.resolve("work-2"), group.replica("r1"), audit);
            assertThat(CliRun.of("archive", "--config", config.toString()).exitCode())
                    .isEqualTo(ExitCodes.OK);
            CliRun missing = CliRun.of("check-config", "--connect", "--config", config.toString());
            assertThat(missing.exitCode()).as(missing.out()).isEqualTo(ExitCodes.FAILURE);
            assertThat(missing.err()).contains("witness: " + witness + " does not exist");
            Files.createDirectories(witness);
            CliRun connect = CliRun.of("check-config", "--connect", "--config", config.toString());
            assertThat(connect.exitCode()).as(connect.out() + connect.err()).isEqualTo(ExitCodes.OK);
            assertThat(connect.out())
                    .contains("witness", "a probe object written only if absent, read back and deleted");
            CliRun checkpoint = CliRun.of("audit", "checkpoint", "--config", config.toString());
            assertThat(checkpoint.exitCode()).as(checkpoint.err()).isEqualTo(ExitCodes.OK);
            Path copied;
            try (var files = Files.list(witness.resolve("log/checkpoints"))) {
                copied = files.findFirst().orElseThrow();
            }
            Path stored = dir.resolve("repo").resolve(witness.relativize(copied));
            assertThat(stored).exists();
            assertThat(CliRun.of("audit", "--config", config.toString()).exitCode())
                    .isEqualTo(ExitCodes.OK);

            Files.delete(stored);

            CliRun alone = CliRun.of("audit", "--full", "--config", unwitnessed.toString());
            assertThat(alone.exitCode())
                    .as("without the witness nothing signed is left: " + alone.out() + alone.err())
                    .isEqualTo(ExitCodes.FAILURE);
            CliRun witnessed = CliRun.of("audit", "--full", "--config", config.toString());
            assertThat(witnessed.exitCode())
                    .as(witnessed.out() + witnessed.err())
                    .isEqualTo(ExitCodes.FINDINGS);
            assertThat(witnessed.out())
                    .contains("REMOVED", "checkpoint at size ", "copied to the witness", "gone from the repository")
                    .contains("1 of them in the witness");

            Path emptied = dir.resolve("empty-witness");
            Files.createDirectories(emptied);
            Path elsewhere = Files.writeString(
                    dir.resolve("emptied.yaml"),
                    Files.readString(config).replace("url: " + witnessUrl, "url: " + emptied.toUri()));
            assertThat(CliRun.of("audit", "checkpoint", "--config", unwitnessed.toString())
                            .exitCode())
                    .isEqualTo(ExitCodes.OK);
            CliRun empty = CliRun.of("audit", "--full", "--config", elsewhere.toString());
            assertThat(empty.out()).contains("0 of them in the witness");
            assertThat(empty.err()).contains("warning: the witness holds no checkpoint");

            Files.writeString(
                    dir.resolve("bad.yaml"),
                    Files.readString(config).replace("url: " + witnessUrl, "url: ftp://nowhere/x"));
            CliRun bad = CliRun.of(
                    "check-config", "--config", dir.resolve("bad.yaml").toString());
            assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(bad.err()).contains("audit.witness.url", "the scheme must be file:// or s3://");
        }
    }
}
