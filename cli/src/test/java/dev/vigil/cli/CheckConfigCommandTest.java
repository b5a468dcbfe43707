package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.cli.config.ConfigLoader;
import dev.vigil.core.config.FleetConfig;
import dev.vigil.testkit.s3.S3Endpoint;
import dev.vigil.testkit.s3.S3ServerKind;
import dev.vigil.testkit.s3.UsingS3;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        assertThat(run.err())
                .contains("2 problems", "repository.url:", "work-dir: 'relative' must be an absolute path");
    }

    @Test
    void connectProvesTheRepositoryWorksAndLeavesNoProbeBehind() throws Exception {
        Path repository = Files.createDirectories(dir.resolve("repo"));
        Path root = Files.createDirectories(dir.resolve("node"));
        Path config = Files.writeString(
                dir.resolve("vigil.yaml"), """
                repository:
                  url: %s
                work-dir: %s
                node:
                  replica: r1
                  roots: [%s]
                """.formatted(repository.toUri(), dir.resolve("work"), root));

        CliRun run = CliRun.of("check-config", "--config", config.toString(), "--connect");

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out())
                .contains(
                        "root        " + root + " exists",
                        "connect     listed ",
                        "(empty: a new repository)",
                        "connect     wrote " + repository.toUri() + "probes/check-config-",
                        "read it back: the same bytes",
                        "connect     deleted it",
                        "connect     ok in ");
        try (var left = Files.walk(repository)) {
            // Only the local store's lock file for replacements and deletes stays (hidden, never an object).
            assertThat(left.filter(Files::isRegularFile))
                    .containsExactly(repository.resolve(".vigil-tmp").resolve("mutations.lock"));
        }
    }

    @Test
    void connectNamesAMissingNodeRootAndAMissingLocalRepository() throws Exception {
        Files.createDirectories(dir.resolve("repo"));
        Files.createDirectories(dir.resolve("node"));
        Path missingRoot = Files.writeString(
                dir.resolve("missing-root.yaml"), config(dir.resolve("repo"), dir.resolve("no-node")));
        Path missingRepository = Files.writeString(
                dir.resolve("missing-repo.yaml"), config(dir.resolve("no-repo"), dir.resolve("node")));

        CliRun root = CliRun.of("check-config", "--config", missingRoot.toString(), "--connect");
        assertThat(root.exitCode()).as(root.out() + root.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(root.err())
                .contains("node root " + dir.resolve("no-node") + " does not exist; fix node.roots or create it");

        CliRun repository = CliRun.of("check-config", "--config", missingRepository.toString(), "--connect");
        assertThat(repository.exitCode())
                .as("a repository that could not be probed is no pass")
                .isEqualTo(ExitCodes.FAILURE);
        assertThat(repository.err())
                .contains(
                        "repository " + dir.resolve("no-repo") + " does not exist, so it could not be"
                                + " probed; create it (mkdir -p " + dir.resolve("no-repo") + ")",
                        "or fix repository.url");
        assertThat(dir.resolve("no-repo")).doesNotExist();
    }

    private String config(Path repository, Path root) {
        return """
                repository:
                  url: %s
                work-dir: %s
                node:
                  replica: r1
                  roots: [%s]
                """.formatted(repository.toUri(), dir.resolve("work"), root);
    }

    @Test
    @UsingS3(S3ServerKind.S3PROXY)
    void connectFindsABadEndpointOrCredentialsBeforeTheDaemonStarts(S3Endpoint endpoint) throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Path unreachable = Files.writeString(
                dir.resolve("unreachable.yaml"), """
                repository:
                  url: s3://%s/vigil
                  s3:
                    endpoint: http://127.0.0.1:%d
                    max-attempts: 1
                    connect-timeout: 2s
                work-dir: %s
                """.formatted(endpoint.bucket(), closedPort, dir.resolve("work")));
        Path good = Files.writeString(
                dir.resolve("good.yaml"), """
                repository:
                  url: s3://%s/vigil
                  s3:
                    endpoint: %s
                work-dir: %s
                """.formatted(endpoint.bucket(), endpoint.endpoint(), dir.resolve("work")));
        CliRun refused = DefaultChainCredentials.wrong(
                () -> CliRun.of("check-config", "--config", good.toString(), "--connect"));
        assertThat(refused.exitCode()).as(refused.out() + refused.err()).isEqualTo(ExitCodes.FAILURE);
        assertThat(refused.err())
                .contains(
                        "vigil check-config: cannot list s3://" + endpoint.bucket() + "/vigil",
                        "HTTP 403",
                        "check the credentials");

        CliRun down = DefaultChainCredentials.wrong(
                () -> CliRun.of("check-config", "--config", unreachable.toString(), "--connect"));
        assertThat(down.exitCode()).as(down.out() + down.err()).isEqualTo(ExitCodes.FAILURE);
        assertThat(down.err())
                .contains(
                        "vigil check-config: cannot list",
                        "check that the endpoint http://127.0.0.1:" + closedPort + " is reachable");

        CliRun ok = DefaultChainCredentials.of(
                endpoint, () -> CliRun.of("check-config", "--config", good.toString(), "--connect"));
        assertThat(ok.exitCode()).as(ok.out() + ok.err()).isEqualTo(ExitCodes.OK);
        assertThat(ok.out()).contains("connect     deleted it");
        assertThat(endpoint.client()
                        .listObjectsV2(l -> l.bucket(endpoint.bucket()))
                        .keyCount())
                .isZero();
    }

    @Test
    void theConfigurationsShippedForDockerComposeAreValid() throws Exception {
        Path compose = Path.of("..", "deploy", "compose");
        for (String file : List.of("node-a", "node-b", "node-c", "worker")) {
            CliRun run = CliRun.of(
                    "check-config", "--config", compose.resolve(file + ".yaml").toString());
            assertThat(run.exitCode()).as(file + ": " + run.err()).isEqualTo(ExitCodes.OK);
            assertThat(run.out()).contains("s3://vigil/fleet");
            assertThat(ConfigLoader.load(compose.resolve(file + ".yaml")).fleet())
                    .as(file + " names the compose file's PostgreSQL")
                    .map(FleetConfig::jdbcUrl)
                    .contains("jdbc:postgresql://postgres:5432/vigil");
        }
        assertThat(Files.readString(Path.of("..", "docker-compose.yml")))
                .contains(
                        "./deploy/compose/node-a.yaml:/etc/vigil/vigil.yaml:ro",
                        "demo-node",
                        "./deploy/compose/worker.yaml:/etc/vigil/vigil.yaml:ro",
                        "command: [\"worker\", \"--config\", \"/etc/vigil/vigil.yaml\"]",
                        "POSTGRES_DB: vigil");
    }
}
