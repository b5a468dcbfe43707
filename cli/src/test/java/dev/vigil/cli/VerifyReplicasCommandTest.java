package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.demo.node.Divergence;
import dev.vigil.demo.node.ReplicationGroup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyReplicasCommandTest {

    @TempDir
    Path dir;

    private Path config(ReplicationGroup group, String replica) throws Exception {
        return NodeConfigs.local(
                dir.resolve(replica + ".yaml"),
                dir.resolve("repo"),
                dir.resolve("work-" + replica),
                group.replica(replica),
                "scrub:\n  rate: 0\n");
    }

    @Test
    void aHealthyNodeIsVerifiedCleanAndALostWriteIsNamed() throws Exception {
        try (ReplicationGroup group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                .replicas("r1", "r2")
                .recordsPerSegment(100)
                .keySpace(1_000_000)
                .build()) {
            group.diverge("r2", 142, Divergence.DROP_FROM_STORE);
            group.write(330);
            group.sealAll();
            Path r1 = config(group, "r1");
            Path r2 = config(group, "r2");
            assertThat(CliRun.of("archive", "--config", r1.toString()).exitCode())
                    .isEqualTo(ExitCodes.OK);

            CliRun clean = CliRun.of("verify", "replicas", "--config", r1.toString());
            assertThat(clean.exitCode()).as(clean.out() + clean.err()).isEqualTo(ExitCodes.OK);
            assertThat(clean.out())
                    .contains("scrubbed r1 of p-0001 at LSN 330", "verdict  r1 of p-0001 at LSN 330: CLEAN");

            CliRun diverged = CliRun.of("verify", "replicas", "--config", r2.toString());
            String lostKey = new String(group.history().get(141).key(), StandardCharsets.UTF_8);
            assertThat(diverged.exitCode()).as(diverged.out() + diverged.err()).isEqualTo(ExitCodes.FINDINGS);
            assertThat(diverged.out())
                    .contains("verdict  r2 of p-0001 at LSN 330: REPLICA_DIVERGED", "1 key(s) differ")
                    .containsPattern("MISSING_ON_REPLICA\\s+" + lostKey);
        }
    }

    @Test
    void buildReferenceReplaysTheArchiveAndStopsAtAGapNamingIt() throws Exception {
        try (ReplicationGroup group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                .replicas("r1")
                .recordsPerSegment(100)
                .build()) {
            group.write(300);
            group.sealAll();
            Path r1 = config(group, "r1");
            assertThat(CliRun.of("archive", "--config", r1.toString()).exitCode())
                    .isEqualTo(ExitCodes.OK);

            CliRun built =
                    CliRun.of("build-reference", "--config", r1.toString(), "--partition", "p-0001", "--to-lsn", "250");
            assertThat(built.exitCode()).as(built.out() + built.err()).isEqualTo(ExitCodes.OK);
            assertThat(built.out())
                    .contains("reference of p-0001 at LSN 250 (target 250): "
                            + String.format("%,d", group.stateAt(250).size()) + " items");

            Files.delete(dir.resolve("repo/partitions/p-0001/wal/00000000000000000201-00000000000000000300.seg"));
            CliRun further =
                    CliRun.of("build-reference", "--config", r1.toString(), "--partition", "p-0001", "--to-lsn", "300");
            assertThat(further.exitCode()).isEqualTo(ExitCodes.FINDINGS);
            assertThat(further.out()).contains("STOPPED  partition p-0001: the reference stopped at LSN 250");
        }
    }
}
