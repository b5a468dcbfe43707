package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.node.ArchivedLsnFile;
import dev.vigil.demo.node.ReplicationGroup;
import dev.vigil.demo.node.SimulatedReplica;
import dev.vigil.testkit.s3.S3Endpoint;
import dev.vigil.testkit.s3.S3ServerKind;
import dev.vigil.testkit.s3.UsingS3;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveCommandTest {

    @TempDir
    Path dir;

    private ReplicationGroup group;
    private SimulatedReplica node;

    @BeforeEach
    void node() throws Exception {
        group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                .replicas("r1")
                .recordsPerSegment(100)
                .build();
        group.write(350);
        node = group.replica("r1");
    }

    @AfterEach
    void close() throws Exception {
        group.close();
    }

    private Path config(String repository, String extra) throws Exception {
        return NodeConfigs.write(
                dir.resolve("vigil.yaml"),
                repository.endsWith("\n") ? repository : repository + "\n",
                dir.resolve("work"),
                node,
                "alerts:\n  - type: jsonl\n    path: " + dir.resolve("alerts.jsonl") + "\n" + extra);
    }

    @Test
    void aPassArchivesEverythingToALocalRepositoryAndExitsZero() throws Exception {
        Path config = config("  url: " + dir.resolve("repo").toUri(), "");

        CliRun run = CliRun.of("archive", "--config", config.toString(), "--once");

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("partition p-0001: 3 uploaded", "archived.lsn 300", "result: ok");
        assertThat(ArchivedLsnFile.read(node.walDir())).isEqualTo(OptionalLong.of(300));
    }

    @Test
    @UsingS3(S3ServerKind.S3MOCK)
    void aPassArchivesToS3WithCredentialsFromTheDefaultChain(S3Endpoint endpoint) throws Exception {
        Path config = config("""
                  url: s3://%s/vigil
                  s3:
                    endpoint: %s
                """.formatted(endpoint.bucket(), endpoint.endpoint()), "");
        CliRun run = archiveWithDefaultChainCredentials(endpoint, config, "--json");

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.OK);
        JsonNode report = new ObjectMapper().readTree(run.out());
        assertThat(report.get("partitions").get(0).get("uploaded").asInt()).isEqualTo(3);
        assertThat(endpoint.client()
                        .listObjectsV2(l -> l.bucket(endpoint.bucket()).prefix("vigil/partitions/"))
                        .keyCount())
                .isEqualTo(3);
    }

    /** Runs {@code vigil archive} with the endpoint's credentials where the AWS SDK's default chain finds them. */
    private static CliRun archiveWithDefaultChainCredentials(S3Endpoint endpoint, Path config, String... options)
            throws Exception {
        String[] args = new String[options.length + 3];
        args[0] = "archive";
        args[1] = "--config";
        args[2] = config.toString();
        System.arraycopy(options, 0, args, 3, options.length);
        return DefaultChainCredentials.of(endpoint, () -> CliRun.of(args));
    }

    @Test
    @UsingS3(S3ServerKind.S3MOCK)
    void objectLockOnABucketWithoutItIsAConfigurationErrorAndNothingIsArchived(S3Endpoint endpoint) throws Exception {
        Path config =
                config("""
                  url: s3://%s/vigil
                  s3:
                    endpoint: %s
                """.formatted(endpoint.bucket(), endpoint.endpoint()), "retention:\n  object-lock: true\n");
        CliRun run = archiveWithDefaultChainCredentials(endpoint, config);

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err())
                .contains(
                        "retention.object-lock: Object Lock is not enabled on bucket " + endpoint.bucket(),
                        "--object-lock-enabled-for-bucket");
        assertThat(endpoint.client()
                        .listObjectsV2(l -> l.bucket(endpoint.bucket()).prefix("vigil/partitions/"))
                        .keyCount())
                .isZero();
    }

    @Test
    void aCorruptSegmentIsAFindingWithExitOneAndAnAlert() throws Exception {
        Path segment = node.sealedSegments().get(1).path();
        try (RandomAccessFile raw = new RandomAccessFile(segment.toFile(), "rw")) {
            raw.seek(777);
            int b = raw.read();
            raw.seek(777);
            raw.write(b ^ 0x20);
        }
        Path config = config("  url: " + dir.resolve("repo").toUri(), "");

        CliRun run = CliRun.of("archive", "--config", config.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(run.out())
                .contains("FINDING  corrupt local segment 00000000000000000101-00000000000000000200.seg at offset");
        assertThat(Files.readString(dir.resolve("alerts.jsonl"))).contains("\"type\":\"SEGMENT_CORRUPT\"");
    }

    @Test
    void anUnreachableRepositoryIsAFailureWithExitThree() throws Exception {
        Path config = config("""
                  url: s3://vigil-nowhere/x
                  s3:
                    endpoint: http://127.0.0.1:9
                    max-attempts: 1
                    connect-timeout: 1s
                """, "");
        CliRun run = DefaultChainCredentials.wrong(() -> CliRun.of("archive", "--config", config.toString()));

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.out()).contains("ERROR    cannot list the archive", "127.0.0.1:9", "result: incomplete");
    }

    @Test
    void aConfigurationWithoutANodeIsAUsageError() throws Exception {
        Path config = Files.writeString(
                dir.resolve("central.yaml"), """
                repository:
                  url: %s
                work-dir: /tmp/w
                """.formatted(dir.resolve("repo").toUri()));

        CliRun run = CliRun.of("archive", "--config", config.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("node: is required by 'vigil archive'");
    }
}
