package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.demo.node.Divergence;
import dev.vigil.demo.node.ReplicationGroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusCommandTest {

    @TempDir
    Path dir;

    /** Two replicas of p-0001, 330 records sealed; r2 lost LSN 142's write (a replica divergence to be found). */
    private ReplicationGroup group;

    private Path r1;
    private Path r2;

    @BeforeEach
    void twoReplicasOneOfThemLosingAWrite() throws Exception {
        group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                .replicas("r1", "r2")
                .recordsPerSegment(100)
                .keySpace(1_000_000)
                .build();
        group.diverge("r2", 142, Divergence.DROP_FROM_STORE);
        group.write(330);
        group.sealAll();
        r1 = NodeConfigs.local(
                dir.resolve("r1.yaml"),
                dir.resolve("repo"),
                dir.resolve("work-r1"),
                group.replica("r1"),
                "scrub:\n  rate: 0\n");
        r2 = NodeConfigs.local(
                dir.resolve("r2.yaml"),
                dir.resolve("repo"),
                dir.resolve("work-r2"),
                group.replica("r2"),
                "scrub:\n  rate: 0\n");
    }

    @AfterEach
    void closeGroup() throws Exception {
        group.close();
    }

    @Test
    void statusShowsEachPartitionAndAsksForAttentionForADivergedReplicaAndAGap() throws Exception {
        assertThat(CliRun.of("archive", "--config", r1.toString()).exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(CliRun.of("verify", "replicas", "--config", r1.toString()).exitCode())
                .isEqualTo(ExitCodes.OK);

        CliRun healthy = CliRun.of("status", "--config", r1.toString());
        // The partition is fine; only the repository's first restore drill is still to come.
        assertThat(healthy.exitCode()).as(healthy.out() + healthy.err()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(healthy.out())
                .contains(
                        "ATTENTION no restore drill passed within report.drill-every (8 days)",
                        "p-0001  archived LSNs 1..330",
                        "restorable LSNs 0..330",
                        "archive lag: newest segment waited",
                        "over 4 segment(s) in the last 7 days",
                        "replica r1",
                        "last verdict CLEAN at LSN 330",
                        "    ok");

        assertThat(CliRun.of("verify", "replicas", "--config", r2.toString()).exitCode())
                .isEqualTo(ExitCodes.FINDINGS);
        Files.delete(dir.resolve("repo/partitions/p-0001/wal/00000000000000000101-00000000000000000200.seg"));
        CliRun attention = CliRun.of("status", "--config", r1.toString(), "--json");
        assertThat(attention.exitCode()).as(attention.out() + attention.err()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(attention.out())
                .contains(
                        "archive gap: LSNs 101..200 are missing",
                        "\"newestLsn\" : 100",
                        "replica r2: its latest verdict is REPLICA_DIVERGED at LSN 330",
                        "\"type\" : \"REPLICA_DIVERGED\"",
                        "\"subject\" : \"replica r2, LSNs [330..330]\"",
                        "\"attention\" : true");
    }

    @Test
    void drillOnDemandIsRecordedAndAnAcknowledgedFindingShowsWhoAndWhy() throws Exception {
        Files.createDirectories(dir.resolve("repo")); // an empty repository (an absent one is exit 3: "does not exist")
        CliRun empty = CliRun.of("drill", "--config", r1.toString());
        assertThat(empty.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(empty.err()).contains("nothing is archived in", "nothing to drill");
        assertThat(CliRun.of("archive", "--config", r1.toString()).exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(CliRun.of("verify", "replicas", "--config", r1.toString()).exitCode())
                .isEqualTo(ExitCodes.OK);

        CliRun drill = CliRun.of("drill", "--config", r1.toString(), "--partition", "p-0001");
        assertThat(drill.exitCode()).as(drill.out() + drill.err()).isEqualTo(ExitCodes.OK);
        assertThat(drill.out())
                .contains(
                        "PASSED  partition p-0001 at LSN ",
                        "matches the reference",
                        "recorded under partitions/p-0001/drills/");
        assertThat(dir.resolve("repo/partitions/p-0001/drills")).isNotEmptyDirectory();
        CliRun healthy = CliRun.of("status", "--config", r1.toString());
        assertThat(healthy.exitCode())
                .as("the on-demand drill counts: %s", healthy.out())
                .isEqualTo(ExitCodes.OK);
        assertThat(healthy.out()).contains("last restore drill: passed").doesNotContain("ATTENTION");

        assertThat(CliRun.of("verify", "replicas", "--config", r2.toString()).exitCode())
                .isEqualTo(ExitCodes.FINDINGS);
        CliRun diverged = CliRun.of("status", "--config", r1.toString());
        Matcher id = Pattern.compile("OPEN FINDING (F-[0-9a-f]{10}) REPLICA_DIVERGED")
                .matcher(diverged.out());
        assertThat(id.find()).as(diverged.out()).isTrue();

        CliRun badId = CliRun.of("ack", "F-12", "--reason", "x", "--config", r1.toString());
        assertThat(badId.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badId.err()).contains("'F-12' is not a finding id");
        CliRun unknown = CliRun.of("ack", "F-0000000000", "--reason", "x", "--config", r1.toString());
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("no finding F-0000000000 in the last 7d");

        CliRun ack = CliRun.of(
                "ack",
                id.group(1),
                "--reason",
                "r2 lost LSN 142 in incident 4411; rebuilt from r1",
                "--by",
                "alice",
                "--config",
                r1.toString());
        assertThat(ack.exitCode()).as(ack.out() + ack.err()).isEqualTo(ExitCodes.OK);
        assertThat(ack.out())
                .contains(
                        "acknowledged " + id.group(1) + " REPLICA_DIVERGED (partition p-0001, replica r2",
                        "by alice at ",
                        ": r2 lost LSN 142 in incident 4411; rebuilt from r1",
                        "stored ");
        CliRun after = CliRun.of("status", "--config", r1.toString());
        assertThat(after.out())
                .contains(
                        "ACKNOWLEDGED FINDING " + id.group(1) + " REPLICA_DIVERGED",
                        "acknowledged by alice at ",
                        "r2 lost LSN 142 in incident 4411")
                .as("the verdict is still a fact")
                .contains("replica r2: its latest verdict is REPLICA_DIVERGED");
        assertThat(after.out()).doesNotContain("ATTENTION open REPLICA_DIVERGED finding");
    }
}
