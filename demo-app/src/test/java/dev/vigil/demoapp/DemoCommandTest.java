package dev.vigil.demoapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.cli.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's second command, run in-process: real daemons, real faults, everything found. */
class DemoCommandTest {

    @TempDir
    Path dir;

    @Test
    void theDemoFindsEveryProblemItInjectsRestoresAndReportsAndExitsZero() throws Exception {
        DemoRun run = DemoRun.of("demo", "--dir", dir.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out())
                .contains(
                        "All three replicas equal the archive.",
                        "ALERT    CRITICAL REPLICA_DIVERGED (raised by node-b's daemon)",
                        "MISSING_ON_REPLICA",
                        "Found: the judge names node-b and the key",
                        "ALERT    CRITICAL ARCHIVE_CORRUPT",
                        "frame CRC mismatch",
                        "Repaired: partitions/demo-0001/wal/",
                        "ALERT    CRITICAL REPLICA_BIT_ROT (raised by node-c's daemon)",
                        "block checksum mismatch",
                        "Verified: the restored database's digest equals the reference's",
                        "NOT COMPLIANT. Archive: LSNs 1..",
                        "no gaps",
                        "finding  REPLICA_DIVERGED (replica node-b",
                        "finding  REPLICA_BIT_ROT (replica node-c)",
                        "Encrypted at rest: ",
                        "none in plaintext",
                        "the repository is what its log says.",
                        "and copied to a witness (" + dir.resolve("witness").toUri(),
                        "Found: both named, with the log entry each contradicts; the report checks out offline.",
                        "Checked offline with the public key alone: VERIFIED",
                        "./vigil audit verify " + dir.resolve("reports"),
                        "Result: Vigil found every problem it was shown");
        assertThat(run.out())
                .containsPattern(
                        "ALTERED  partitions/demo-0001/wal/\\d{20}-\\d{20}\\.seg \\(contradicts log entry \\d+")
                .contains("INSERTED  partitions/demo-0001/wal/planted.seg");
        assertThat(run.out())
                .containsPattern("finding  ARCHIVE_CORRUPT \\(partitions/demo-0001/wal/\\d{20}-\\d{20}\\.seg, LSNs"
                        + " \\[\\d+\\.\\.\\d+\\]\\), raised \\d time\\(s\\): resolved");
        assertThat(run.out()).doesNotContain("NOT SEEN");
        try (Stream<Path> reports = Files.list(dir.resolve("reports"))) {
            assertThat(reports.map(p -> p.getFileName().toString()))
                    .hasSize(4)
                    .anyMatch(n -> n.endsWith(".seal.json"))
                    .anyMatch(n -> n.endsWith(".html"))
                    .anyMatch(n -> n.endsWith(".json"))
                    .anyMatch(n -> n.endsWith(".parquet"));
        }
        assertThat(Files.readString(dir.resolve("config/node-a.yaml")))
                .contains("replica: node-a", "archive: \"* * * * * ?\"");
    }

    @Test
    void withS3TheDemoRunsAgainstTheEmbeddedS3Server() {
        DemoRun run = DemoRun.of("demo", "--s3", "--dir", dir.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out())
                .contains(
                        "Repository: s3://vigil-demo/demo on the embedded S3 server at http://127.0.0.1:",
                        "Repaired: partitions/demo-0001/wal/",
                        "Verified: the restored database's digest equals the reference's",
                        "Result: Vigil found every problem it was shown")
                .doesNotContain("NOT SEEN");
        assertThat(System.getProperty("aws.accessKeyId"))
                .as("the demo's credentials do not outlive it")
                .isNull();
    }

    @Test
    void withFleetTheWorkersJudgeAndVerifyTheArchiveWhileTheNodeAgentsOnlyArchiveAndScrub() throws Exception {
        DemoRun run = DemoRun.of("demo", "--fleet", "--dir", dir.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out())
                .contains(
                        "The fleet: two workers (worker-1, worker-2) share a PostgreSQL database (embedded,"
                                + " jdbc:postgresql://localhost:",
                        "Found: the judge names node-b and the key",
                        "Repaired: partitions/demo-0001/wal/",
                        "ALERT    CRITICAL REPLICA_BIT_ROT (raised by node-c's daemon)",
                        "Verified: the restored database's digest equals the reference's",
                        "Result: Vigil found every problem it was shown")
                .containsPattern("ALERT    CRITICAL REPLICA_DIVERGED \\(raised by fleet worker-[12]\\)")
                // The workers' re-read finds the damaged record; a node agent comparing its copy may find it first.
                .containsPattern(
                        "ALERT    CRITICAL ARCHIVE_CORRUPT \\(raised by (fleet worker-[12]|node-[abc]'s daemon)\\)")
                .containsPattern("8\\. The fleet: worker-1 \\d+ time\\(s\\), worker-2 \\d+ time\\(s\\) completed")
                .doesNotContain("NOT SEEN")
                .doesNotContain("daemon): partition demo-0001 at LSN"); // no node daemon judged
        assertThat(Files.readString(dir.resolve("config/node-a.yaml")))
                .contains("replica: node-a", "jdbc-url: jdbc:postgresql://localhost:");
        assertThat(Files.readString(dir.resolve("config/worker-1.yaml")))
                .contains("worker-name: worker-1")
                .doesNotContain("node:");
    }
}
