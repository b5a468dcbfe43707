package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.demo.node.ReplicationGroup;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScrubCommandTest {

    @TempDir
    Path dir;

    @Test
    void scrubPublishesAReportAtTheReplicasAppliedLsn() throws Exception {
        try (ReplicationGroup group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                .replicas("r1")
                .recordsPerSegment(100)
                .build()) {
            group.write(420);
            Path config = NodeConfigs.local(
                    dir.resolve("vigil.yaml"), dir.resolve("repo"), dir.resolve("work"), group.replica("r1"), """
                    scrub:
                      rate: 32MiB
                      window: "01:00-05:00"
                    """);

            CliRun text = CliRun.of("scrub", "--config", config.toString());
            assertThat(text.exitCode()).as(text.out() + text.err()).isEqualTo(ExitCodes.OK);
            assertThat(text.out()).contains("scrubbed r1 of p-0001 at LSN 420");

            CliRun json = CliRun.of("scrub", "--config", config.toString(), "--partition", "p-0001", "--json");
            JsonNode outcome = new ObjectMapper().readTree(json.out()).get(0);
            assertThat(outcome.get("report").get("appliedLsn").asLong()).isEqualTo(420);
            assertThat(outcome.get("report").get("items").asLong())
                    .isEqualTo(group.stateAt(420).size());
            assertThat(dir.resolve("repo/partitions/p-0001/scrub/00000000000000000420/r1.digest"))
                    .isRegularFile();
            assertThat(dir.resolve("repo/partitions/p-0001/scrub/00000000000000000420/r1.json"))
                    .isRegularFile();

            CliRun missing = CliRun.of("scrub", "--config", config.toString(), "--partition", "p-0404");
            assertThat(missing.exitCode()).isEqualTo(ExitCodes.FAILURE);
            assertThat(missing.err()).contains("partition p-0404 has no replica directory");
        }
    }
}
