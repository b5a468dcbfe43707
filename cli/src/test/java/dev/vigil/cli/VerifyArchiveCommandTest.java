package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.demo.node.ReplicationGroup;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyArchiveCommandTest {

    @TempDir
    Path dir;

    @Test
    void verificationIsCleanThenFindsAByteFlippedInTheRepository() throws Exception {
        try (ReplicationGroup group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                .replicas("r1")
                .recordsPerSegment(100)
                .build()) {
            group.write(400);
            Path config = NodeConfigs.local(
                    dir.resolve("vigil.yaml"),
                    dir.resolve("repo"),
                    dir.resolve("work"),
                    group.replica("r1"),
                    "alerts:\n  - type: jsonl\n    path: " + dir.resolve("alerts.jsonl") + "\n");
            assertThat(CliRun.of("archive", "--config", config.toString()).exitCode())
                    .isEqualTo(ExitCodes.OK);

            CliRun clean = CliRun.of("verify", "archive", "--config", config.toString());
            assertThat(clean.exitCode()).as(clean.out() + clean.err()).isEqualTo(ExitCodes.OK);
            assertThat(clean.out()).contains("partition p-0001: 4 objects, 4 verified now", "result: ok");

            Path object;
            try (Stream<Path> files = Files.walk(dir.resolve("repo/partitions/p-0001/wal"))) {
                object = files.filter(p -> p.toString().endsWith(".seg"))
                        .sorted()
                        .toList()
                        .get(2);
            }
            try (RandomAccessFile raw = new RandomAccessFile(object.toFile(), "rw")) {
                raw.seek(raw.length() - 30);
                int b = raw.read();
                raw.seek(raw.length() - 30);
                raw.write(b ^ 0x01);
            }
            CliRun sampled = CliRun.of(
                    "verify", "archive", "--config", config.toString(), "--sample", "100%", "--partition", "p-0001");

            assertThat(sampled.exitCode()).isEqualTo(ExitCodes.FINDINGS);
            assertThat(sampled.out())
                    .contains("FINDING  partitions/p-0001/wal/00000000000000000201-00000000000000000300.seg:"
                            + " corrupt at byte offset");
            assertThat(Files.readString(dir.resolve("alerts.jsonl"))).contains("\"type\":\"ARCHIVE_CORRUPT\"");

            CliRun badSample = CliRun.of("verify", "archive", "--config", config.toString(), "--sample", "250%");
            assertThat(badSample.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(badSample.err())
                    .contains("--sample: expected a percentage in (0, 100], such as 10%, found '250%'");

            CliRun noSuchPartition =
                    CliRun.of("verify", "archive", "--config", config.toString(), "--partition", "p-0002");
            assertThat(noSuchPartition.exitCode()).isEqualTo(ExitCodes.FINDINGS);
            assertThat(noSuchPartition.err())
                    .contains("nothing to verify", "holds no archived segment of partition p-0002");
            assertThat(dir.resolve("repo/partitions/p-0002")).doesNotExist();
        }
    }

    @Test
    void anEmptyOrMistypedRepositoryIsNothingToVerifyNotOkAndIsNotCreated() throws Exception {
        Path mistyped = dir.resolve("no-such-repo");
        Path config =
                Files.writeString(dir.resolve("vigil.yaml"), """
                repository:
                  url: %s
                work-dir: %s
                """.formatted(mistyped.toUri(), dir.resolve("work")));

        CliRun absent = CliRun.of("verify", "archive", "--config", config.toString());
        assertThat(absent.exitCode()).as(absent.out() + absent.err()).isEqualTo(ExitCodes.FAILURE);
        assertThat(absent.err()).contains("the repository " + mistyped.toUri() + " does not exist", "repository.url");
        assertThat(mistyped).as("a read-only command creates no repository").doesNotExist();

        Files.createDirectories(mistyped);
        CliRun run = CliRun.of("verify", "archive", "--config", config.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(run.out()).contains("result: NOTHING TO VERIFY").doesNotContain("result: ok");
        assertThat(run.err())
                .contains(
                        "nothing to verify: " + mistyped.toUri(), "holds no archived segment", "check repository.url");
    }
}
