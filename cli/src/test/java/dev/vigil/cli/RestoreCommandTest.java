package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.demo.node.ReplicationGroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestoreCommandTest {

    @TempDir
    Path dir;

    @Test
    void restoreVerifiesWhatItWroteAndRefusesANonEmptyTargetAndABadTime() throws Exception {
        try (ReplicationGroup group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                .replicas("r1")
                .recordsPerSegment(100)
                .build()) {
            group.write(450);
            Path config = NodeConfigs.local(
                    dir.resolve("vigil.yaml"), dir.resolve("repo"), dir.resolve("work"), group.replica("r1"), "");
            assertThat(CliRun.of("archive", "--config", config.toString()).exitCode())
                    .isEqualTo(ExitCodes.OK);
            CliRun snapshot = CliRun.of(
                    "build-reference",
                    "--config",
                    config.toString(),
                    "--partition",
                    "p-0001",
                    "--to-lsn",
                    "200",
                    "--snapshot");
            assertThat(snapshot.exitCode()).as(snapshot.out() + snapshot.err()).isEqualTo(ExitCodes.OK);
            assertThat(snapshot.out())
                    .contains("snapshot partitions/p-0001/snapshots/00000000000000000200/manifest.json");

            CliRun restore = CliRun.of(
                    "restore",
                    "--config",
                    config.toString(),
                    "--partition",
                    "p-0001",
                    "--to-lsn",
                    "333",
                    "--target",
                    dir.resolve("restored").toString());
            assertThat(restore.exitCode()).as(restore.out() + restore.err()).isEqualTo(ExitCodes.OK);
            assertThat(restore.out())
                    .contains(
                            "VERIFIED  partition p-0001 restored to LSN 333",
                            "the snapshot at LSN 200",
                            "check: reference digest at LSN 333 (replayed from the archive): match",
                            "replayed to LSN 333");
            assertThat(dir.resolve("restored/CURRENT")).exists();

            CliRun again = CliRun.of(
                    "restore",
                    "--config",
                    config.toString(),
                    "--partition",
                    "p-0001",
                    "--latest",
                    "--target",
                    dir.resolve("restored").toString(),
                    "--format",
                    "jsonl",
                    "--json");
            assertThat(again.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(again.err()).contains("is not empty", "--force");

            CliRun forced = CliRun.of(
                    "restore",
                    "--config",
                    config.toString(),
                    "--partition",
                    "p-0001",
                    "--latest",
                    "--target",
                    dir.resolve("restored").toString(),
                    "--format",
                    "jsonl",
                    "--json",
                    "--force");
            assertThat(forced.exitCode()).as(forced.err()).isEqualTo(ExitCodes.OK);
            assertThat(forced.out()).contains("\"lsn\" : 400", "\"verified\" : true");
            assertThat(Files.readAllLines(dir.resolve("restored/items.jsonl"))).isNotEmpty();

            CliRun retention = CliRun.of("retention", "--config", config.toString(), "--dry-run");
            assertThat(retention.exitCode())
                    .as(retention.out() + retention.err())
                    .isEqualTo(ExitCodes.OK);
            assertThat(retention.out())
                    .contains("p-0001", "would expire 0 segment(s) (0.0 MB), 0 snapshot(s)", "restorable LSNs 0..400");

            CliRun badTime = CliRun.of(
                    "restore",
                    "--config",
                    config.toString(),
                    "--partition",
                    "p-0001",
                    "--to-time",
                    "yesterday",
                    "--target",
                    dir.resolve("t").toString());
            assertThat(badTime.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(badTime.err()).contains("--to-time", "'yesterday' is not an ISO-8601 instant");

            CliRun beyond = CliRun.of(
                    "restore",
                    "--config",
                    config.toString(),
                    "--partition",
                    "p-0001",
                    "--to-lsn",
                    "401",
                    "--target",
                    dir.resolve("beyond").toString());
            assertThat(beyond.exitCode()).as(beyond.out() + beyond.err()).isEqualTo(ExitCodes.USAGE);
            assertThat(beyond.err()).contains("LSN 401 is beyond the end of the archive", "ends at LSN 400");
            assertThat(dir.resolve("beyond")).doesNotExist();

            CliRun future = CliRun.of(
                    "restore",
                    "--config",
                    config.toString(),
                    "--partition",
                    "p-0001",
                    "--to-time",
                    "2999-01-01T00:00:00Z",
                    "--target",
                    dir.resolve("future").toString());
            assertThat(future.exitCode()).as(future.out() + future.err()).isEqualTo(ExitCodes.OK);
            assertThat(future.out())
                    .contains(
                            "warning: --to-time 2999-01-01T00:00:00Z is after the newest archived record" + " (LSN 400",
                            "VERIFIED  partition p-0001 restored to LSN 400");
        }
    }
}
