package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.testkit.tools.RequiredTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus rules and Grafana dashboard under {@code deploy/}: the rules pass their own unit tests (where promtool
 * is installed: Debian's {@code prometheus} package), and every metric they use is one Vigil documents.
 */
class DeployedMonitoringTest {

    @Test
    void theAlertingRulesAreValidAndPassTheirUnitTests() throws Exception {
        Optional<Path> promtool = Optional.of(RequiredTool.find("promtool", "apt-get install prometheus"));

        Run check = run(
                promtool.get().toString(),
                "check",
                "rules",
                DeployedMonitoring.RULES.getFileName().toString());
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: 12 rules found");

        Run test = run(
                promtool.get().toString(),
                "test",
                "rules",
                DeployedMonitoring.RULE_TESTS.getFileName().toString());
        assertThat(test.exitCode()).as(test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS").doesNotContain("FAILED");
    }

    @Test
    void everyMetricTheRulesAndTheDashboardUseIsDocumented() throws IOException {
        String operations = Files.readString(Path.of("..", "docs", "operations.md"));
        String metricsTable = operations.substring(operations.indexOf("## Metrics"));
        assertThat(DeployedMonitoring.metricNames())
                .contains("vigil_fleet_partitions_overdue_ratio", "vigil_job_last_success_timestamp_seconds")
                .allSatisfy(name -> assertThat(metricsTable)
                        .as(name + " is used in deploy/ but not in the metrics table of docs/operations.md")
                        .containsPattern("`" + name + "`|`" + name.substring(0, name.indexOf('_') + 1) + "\\*`"));
    }

    @Test
    void theDashboardIsGrafanaJsonWhosePanelsQueryPrometheus() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DeployedMonitoring.DASHBOARD.toFile());
        assertThat(dashboard.path("uid").asText()).isEqualTo("vigil-overview");
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertThat(panel.path("datasource").path("uid").asText())
                    .as(panel.path("title").asText())
                    .isEqualTo("${DS_PROMETHEUS}");
            assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
            panel.path("targets").forEach(t -> queries.add(t.path("expr").asText()));
        }
        assertThat(queries).hasSizeGreaterThan(10).noneMatch(String::isBlank);
    }

    private record Run(int exitCode, String output) {}

    private static Run run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .directory(DeployedMonitoring.RULES.getParent().toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("promtool finished").isTrue();
        return new Run(process.exitValue(), output);
    }
}
