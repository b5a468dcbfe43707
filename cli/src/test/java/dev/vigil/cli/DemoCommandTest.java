package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

    @TempDir
    Path dir;

    @Test
    void theDemoFindsEveryProblemItInjectsAndExitsZero() {
        CliRun run = CliRun.of("demo", "--dir", dir.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains(
                "FINDING  partitions/demo-0001/wal/00000000000000002001-00000000000000003000.seg: corrupt at byte offset",
                "verdict  node-a at LSN 4000: CLEAN", "verdict  node-b at LSN 4000: REPLICA_DIVERGED",
                "MISSING_ON_REPLICA", "verdict  node-c at LSN 4000: CLEAN", "REPLICA_BIT_ROT",
                "Result: Vigil found all three problems");
        assertThat(run.out()).containsPattern("node-b: 0 uploaded, 4 already archived by a peer and identical; archived.lsn = 4000");
    }
}
