package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.LsnRange;
import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.AlertDispatcher;
import dev.vigil.core.alert.AlertResolution;
import dev.vigil.core.alert.AlertType;
import dev.vigil.core.alert.AlertmanagerAlertSink;
import dev.vigil.testkit.alertmanager.AlertmanagerServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Alertmanager sink against a real Prometheus Alertmanager (Debian's {@code prometheus-alertmanager}): what
 * Alertmanager itself notifies is one firing and one resolved notification per incident, with Vigil's labels and
 * annotations, however often the condition was raised.
 */
class AlertmanagerSinkTest {

    private static final PartitionId P = PartitionId.of("p-0001");
    private static final ReplicaId NODE = ReplicaId.of("node-a");

    @TempDir
    Path dir;

    @Test
    void aConditionRaisedManyTimesIsOneFiringAndOneResolvedNotificationFromAlertmanager() throws Exception {
        Clock clock = Clock.systemUTC();
        try (AlertmanagerServer alertmanager = AlertmanagerServer.start(dir.resolve("alertmanager"))) {
            AlertmanagerAlertSink sink = new AlertmanagerAlertSink(
                    alertmanager.url(),
                    Duration.ofSeconds(5),
                    3,
                    Duration.ofMillis(100),
                    "node-a",
                    Optional.of(URI.create("http://grafana.example.org/d/vigil")),
                    AlertDispatcher.REFRESH_INTERVAL,
                    Duration.ofHours(1),
                    clock);
            try (AlertDispatcher dispatcher =
                    new AlertDispatcher("alertmanager-test", List.of(sink), clock, Duration.ofHours(1))) {
                Instant started = clock.instant();
                for (int pass = 0; pass < 20; pass++) {
                    dispatcher.raise(Alert.of(AlertType.ARCHIVE_LAG, clock.instant())
                            .partition(P)
                            .replica(NODE)
                            .lsnRange(new LsnRange(1, 100 + pass))
                            .message("partition p-0001: 3 sealed segment(s) have waited too long")
                            .action("check the repository")
                            .build());
                }
                assertThat(dispatcher.flush(Duration.ofSeconds(10))).isTrue();
                List<String> firing = alertmanager.awaitNotifications(1, Duration.ofSeconds(30));
                assertThat(firing).hasSize(1);
                JsonNode first = new ObjectMapper().readTree(firing.getFirst());
                assertThat(first.get("status").asText()).isEqualTo("firing");
                JsonNode alert = first.get("alerts").get(0);
                assertThat(alert.get("labels").get("alertname").asText()).isEqualTo("ARCHIVE_LAG");
                assertThat(alert.get("labels").get("severity").asText()).isEqualTo("warning");
                assertThat(alert.get("labels").get("partition").asText()).isEqualTo("p-0001");
                assertThat(alert.get("labels").get("replica").asText()).isEqualTo("node-a");
                assertThat(alert.get("labels").get("incident").asText()).isEqualTo("ARCHIVE_LAG|p-0001|node-a");
                assertThat(alert.get("annotations").get("summary").asText())
                        .isEqualTo("partition p-0001: 3 sealed segment(s) have waited too long");
                assertThat(alert.get("annotations").get("action").asText()).isEqualTo("check the repository");
                assertThat(alert.get("generatorURL").asText()).isEqualTo("http://grafana.example.org/d/vigil");
                assertThat(Instant.parse(alert.get("startsAt").asText()))
                        .isBetween(started.minusSeconds(1), started.plusSeconds(1));

                dispatcher.resolve(AlertResolution.of(AlertType.ARCHIVE_LAG, P, NODE, clock.instant(), "caught up"));
                assertThat(dispatcher.flush(Duration.ofSeconds(10))).isTrue();
                List<String> both = alertmanager.awaitNotifications(2, Duration.ofSeconds(30));
                assertThat(both).hasSize(2);
                JsonNode resolved = new ObjectMapper().readTree(both.getLast());
                assertThat(resolved.get("status").asText()).isEqualTo("resolved");
                assertThat(resolved.get("alerts")
                                .get(0)
                                .get("labels")
                                .get("incident")
                                .asText())
                        .isEqualTo("ARCHIVE_LAG|p-0001|node-a");
                // Alertmanager holds it as resolved: nothing is firing any more.
                assertThat(alertmanager.alerts()).doesNotContain("\"state\":\"active\"");
            }
            assertThat(alertmanager.notifications()).hasSize(2);
        }
    }
}
