package dev.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What {@code deploy/} ships for monitoring: the Prometheus rules and the Grafana dashboard, and the metrics they use. */
final class DeployedMonitoring {

    static final Path RULES = Path.of("..", "deploy", "prometheus", "vigil-rules.yml");
    static final Path RULE_TESTS = Path.of("..", "deploy", "prometheus", "vigil-rules.test.yml");
    static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "vigil.json");

    private static final Pattern METRIC = Pattern.compile("\\b(vigil_[a-z_]+|process_[a-z_]+)\\b");

    private DeployedMonitoring() {}

    /** The PromQL of every panel of the dashboard, in order (Grafana's variables left as they are). */
    static List<String> dashboardQueries() throws IOException {
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : new ObjectMapper().readTree(DASHBOARD.toFile()).get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                if (target.has("expr")) {
                    queries.add(target.get("expr").asText());
                }
            }
        }
        return queries;
    }

    /** Every Vigil or process metric named in the rules and the dashboard. */
    static Set<String> metricNames() throws IOException {
        Set<String> names = new TreeSet<>();
        for (Path file : new Path[] {RULES, DASHBOARD}) {
            Matcher matcher = METRIC.matcher(Files.readString(file));
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
        }
        return names;
    }
}
