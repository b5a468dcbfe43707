package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

    @TempDir
    Path dir;

    @Test
    void theDemoFindsTheByteItFlippedAndExitsZero() {
        CliRun run = CliRun.of("demo", "--dir", dir.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("FINDING  partitions/demo-0001/wal/00000000000000002001-00000000000000003000.seg",
                "frame CRC mismatch", "Result: Vigil found the flipped byte");
        assertThat(run.out().lines().filter(l -> l.contains("FINDING")).count()).isEqualTo(1);
    }
}
