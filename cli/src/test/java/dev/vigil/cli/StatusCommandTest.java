package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testkit.node.Divergence;
import dev.vigil.testkit.node.ReplicationGroup;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusCommandTest {

    @TempDir
    Path dir;

    @Test
    void statusShowsEachPartitionAndAsksForAttentionForADivergedReplicaAndAGap() throws Exception {
        try (ReplicationGroup group = ReplicationGroup.builder(dir.resolve("nodes")).replicas("r1", "r2")
                .recordsPerSegment(100).keySpace(1_000_000).build()) {
            group.diverge("r2", 142, Divergence.DROP_FROM_STORE);
            group.write(330);
            group.sealAll();
            Path r1 = NodeConfigs.local(dir.resolve("r1.yaml"), dir.resolve("repo"), dir.resolve("work-r1"),
                    group.replica("r1"), "scrub:\n  rate: 0\n");
            Path r2 = NodeConfigs.local(dir.resolve("r2.yaml"), dir.resolve("repo"), dir.resolve("work-r2"),
                    group.replica("r2"), "scrub:\n  rate: 0\n");
            assertThat(CliRun.of("archive", "--config", r1.toString()).exitCode()).isEqualTo(ExitCodes.OK);
            assertThat(CliRun.of("verify", "replicas", "--config", r1.toString()).exitCode()).isEqualTo(ExitCodes.OK);

            CliRun healthy = CliRun.of("status", "--config", r1.toString());
            // The partition is fine; only the repository's first restore drill is still to come.
            assertThat(healthy.exitCode()).as(healthy.out() + healthy.err()).isEqualTo(ExitCodes.FINDINGS);
            assertThat(healthy.out()).contains("ATTENTION no restore drill passed within report.drill-every (8 days)",
                    "p-0001  archived LSNs 1..330", "restorable LSNs 0..330", "archive lag: newest segment waited",
                    "over 4 segment(s) in the last 7 days", "replica r1", "last verdict CLEAN at LSN 330", "    ok");

            assertThat(CliRun.of("verify", "replicas", "--config", r2.toString()).exitCode()).isEqualTo(ExitCodes.FINDINGS);
            Files.delete(dir.resolve("repo/partitions/p-0001/wal/00000000000000000101-00000000000000000200.seg"));
            CliRun attention = CliRun.of("status", "--config", r1.toString(), "--json");
            assertThat(attention.exitCode()).as(attention.out() + attention.err()).isEqualTo(ExitCodes.FINDINGS);
            assertThat(attention.out()).contains("archive gap: LSNs 101..200 are missing", "\"newestLsn\" : 100",
                    "replica r2: its latest verdict is REPLICA_DIVERGED at LSN 330", "\"type\" : \"REPLICA_DIVERGED\"",
                    "\"subject\" : \"replica r2, LSNs [330..330]\"", "\"attention\" : true");
        }
    }
}
