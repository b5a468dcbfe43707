package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.demo.node.ReplicationGroup;
import dev.vigil.demo.postgres.EmbeddedPostgresServer;
import dev.vigil.testkit.prometheus.PrometheusServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitoring {@code deploy/} ships, as a real Prometheus (Debian's) runs it against real Vigil processes: every
 * rule loads and evaluates without error, none fires or is pending on a healthy deployment, with a fleet or without
 * one, and every dashboard query returns series where its subject exists.
 */
class DeployedPrometheusTest {

    private static final Duration WAIT = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    @Test
    void aNodeAgentWithoutAFleetPagesNobodyAndItsPanelsHaveSeries() throws Exception {
        try (ReplicationGroup group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                .replicas("r1")
                .recordsPerSegment(100)
                .build()) {
            group.write(250);
            Path config = NodeConfigs.local(
                    dir.resolve("node.yaml"), dir.resolve("repo"), dir.resolve("work"), group.replica("r1"), """
                    daemon:
                      http-port: 0
                      shutdown-timeout: 5s
                    """);
            try (RunningDaemon node = RunningDaemon.start(config);
                    PrometheusServer prometheus = PrometheusServer.start(
                            dir.resolve("prometheus"),
                            List.of("127.0.0.1:" + node.port()),
                            List.of(DeployedMonitoring.RULES))) {
                awaitQuery(prometheus, "vigil_archive_bytes_total", r -> r.size() > 0);
                awaitQuery(prometheus, "rate(vigil_archive_bytes_total[5m])", r -> r.size() > 0);
                assertEveryRuleHealthyAndInactive(prometheus);
                for (String query : DeployedMonitoring.dashboardQueries()) {
                    JsonNode result = prometheus.query(query.replace("$job", ".*"));
                    if (query.contains("vigil_fleet_")) {
                        assertThat(result).as("no fleet here: %s", query).isEmpty();
                    } else {
                        assertThat(result).as("the node's panel %s", query).isNotEmpty();
                    }
                }
                assertThat(prometheus
                                .query("vigil_fleet_configured")
                                .get(0)
                                .get("value")
                                .get(1)
                                .asText())
                        .isEqualTo("0");
            }
        }
    }

    @Test
    void aHealthyFleetPagesNobodyAndEveryPanelHasSeries() throws Exception {
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dir.resolve("pg"));
                ReplicationGroup group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                        .replicas("r1")
                        .recordsPerSegment(100)
                        .build()) {
            group.write(250);
            group.sealAll();
            String fleet = """
                    fleet:
                      jdbc-url: %s
                      user: postgres
                      verify-every: 1s
                      poll-interval: 200ms
                      heartbeat: 200ms
                      missed-heartbeats: 4
                      discover-every: 200ms
                      retry-after: 200ms
                    """.formatted(postgres.jdbcUrl());
            Path node = NodeConfigs.local(
                    dir.resolve("node.yaml"),
                    dir.resolve("repo"),
                    dir.resolve("work-node"),
                    group.replica("r1"),
                    """
                    scrub:
                      rate: 0
                    daemon:
                      http-port: 0
                      shutdown-timeout: 5s
                    """ + fleet);
            // The node's data is archived and scrubbed, so the worker has something to verify.
            assertThat(CliRun.of("archive", "--config", node.toString()).exitCode())
                    .isZero();
            assertThat(CliRun.of("scrub", "--config", node.toString()).exitCode())
                    .isZero();
            Path worker = Files.writeString(dir.resolve("worker.yaml"), """
                    repository:
                      url: %s
                    work-dir: %s
                    daemon:
                      http-port: 0
                      shutdown-timeout: 5s
                    %s
                    """.formatted(
                            dir.resolve("repo").toUri(), dir.resolve("work-worker"), fleet));
            try (RunningDaemon agent = RunningDaemon.start(node);
                    RunningWorker w1 = RunningWorker.start(worker, "w1");
                    PrometheusServer prometheus = PrometheusServer.start(
                            dir.resolve("prometheus"),
                            List.of(
                                    "127.0.0.1:" + agent.port(),
                                    "127.0.0.1:" + w1.worker().httpPort()),
                            List.of(DeployedMonitoring.RULES))) {
                awaitQuery(prometheus, "max(vigil_fleet_partitions) == 1", r -> r.size() == 1);
                awaitQuery(prometheus, "max(vigil_fleet_partitions_never_verified) == 0", r -> r.size() == 1);
                awaitQuery(prometheus, "rate(vigil_archive_bytes_total[5m])", r -> r.size() > 0);
                assertEveryRuleHealthyAndInactive(prometheus);
                for (String query : DeployedMonitoring.dashboardQueries()) {
                    assertThat(prometheus.query(query.replace("$job", ".*")))
                            .as("the panel %s", query)
                            .isNotEmpty();
                }
            }
        }
    }

    /** Waits until the rules were evaluated a few times on the current data, then checks every one. */
    private static void assertEveryRuleHealthyAndInactive(PrometheusServer prometheus) throws Exception {
        Instant since = Instant.now();
        Instant deadline = since.plus(WAIT);
        while (true) {
            JsonNode groups = prometheus.rules();
            boolean evaluatedSince = groups.size() > 0;
            for (JsonNode group : groups) {
                evaluatedSince &=
                        Instant.parse(group.get("lastEvaluation").asText()).isAfter(since.plusSeconds(3));
            }
            if (evaluatedSince) {
                List<String> rules = new ArrayList<>();
                for (JsonNode group : groups) {
                    for (JsonNode rule : group.get("rules")) {
                        String name = rule.get("name").asText();
                        rules.add(name);
                        assertThat(rule.get("health").asText())
                                .as(name + ": " + rule.path("lastError").asText())
                                .isEqualTo("ok");
                        assertThat(rule.get("state").asText())
                                .as(name + " on a healthy deployment: " + rule.get("alerts"))
                                .isEqualTo("inactive");
                    }
                }
                assertThat(rules).hasSize(12);
                return;
            }
            assertThat(Instant.now()).as("rules evaluated within " + WAIT).isBefore(deadline);
            Thread.sleep(200);
        }
    }

    private static void awaitQuery(PrometheusServer prometheus, String query, Predicate<JsonNode> done)
            throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        JsonNode result = new ObjectMapper().createArrayNode();
        while (Instant.now().isBefore(deadline)) {
            result = prometheus.query(query);
            if (done.test(result)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(query + " did not come true within " + WAIT + "; last result " + result);
    }
}
