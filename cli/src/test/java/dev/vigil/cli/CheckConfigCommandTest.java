package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckConfigCommandTest {

    @TempDir
    Path dir;

    @Test
    void aValidConfigurationIsSummarised() throws Exception {
        Path config = Files.writeString(dir.resolve("vigil.yaml"), """
                repository:
                  url: file:///srv/vigil/repo
                work-dir: /srv/vigil/work
                """);

        CliRun run = CliRun.of("check-config", "--config", config.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("is valid", "repository  file:///srv/vigil/repo");
    }

    @Test
    void anInvalidConfigurationListsEveryProblemAndExitsTwo() throws Exception {
        Path config = Files.writeString(dir.resolve("vigil.yaml"), """
                repository:
                  url: s3://x
                work-dir: relative
                """);

        CliRun run = CliRun.of("check-config", "--config", config.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("2 problems", "repository.url:", "work-dir: 'relative' must be an absolute path");
    }

    @Test
    void theConfigurationsShippedForDockerComposeAreValid() throws Exception {
        Path compose = Path.of("..", "deploy", "compose");
        for (String node : java.util.List.of("node-a", "node-b", "node-c")) {
            CliRun run = CliRun.of("check-config", "--config", compose.resolve(node + ".yaml").toString());
            assertThat(run.exitCode()).as(node + ": " + run.err()).isEqualTo(ExitCodes.OK);
            assertThat(run.out()).contains("s3://vigil/fleet");
        }
        assertThat(Files.readString(Path.of("..", "docker-compose.yml")))
                .contains("./deploy/compose/node-a.yaml:/etc/vigil/vigil.yaml:ro", "demo-node");
    }
}
