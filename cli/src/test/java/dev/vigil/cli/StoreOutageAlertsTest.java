package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.archiver.ArchiveReport;
import dev.vigil.cli.config.ConfigLoader;
import dev.vigil.cli.daemon.JobOutcome;
import dev.vigil.cli.daemon.JobTracker;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.S3ServerSideEncryption;
import dev.vigil.core.store.S3Settings;
import dev.vigil.demo.node.ReplicationGroup;
import dev.vigil.testkit.fault.FaultProxy;
import dev.vigil.testkit.s3.S3Endpoint;
import dev.vigil.testkit.s3.S3ServerKind;
import dev.vigil.testkit.s3.UsingS3;
import dev.vigil.testkit.time.MutableClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad day the incident model exists for: the repository is unreachable for ten minutes while the node keeps
 * sealing segments and the archive job runs every ten seconds. Each condition it causes (the store unavailable, the
 * partition's lag, the archive job failing) reaches every sink as one firing and one resolved notification: not one
 * page per pass (91 before), and every page ends.
 */
@UsingS3(S3ServerKind.S3PROXY)
class StoreOutageAlertsTest {

    @TempDir
    Path dir;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aTenMinuteOutageIsOneFiringAndOneResolvedNotificationPerConditionAndPerSink(S3Endpoint endpoint)
            throws Exception {
        // The node's segments carry the real time they were sealed (their files' times): the test clock starts there.
        MutableClock clock = new MutableClock(Instant.now());
        List<String> webhook = new CopyOnWriteArrayList<>();
        List<Received> alertmanager = new CopyOnWriteArrayList<>();
        HttpServer receivers = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        receivers.createContext("/hook", exchange -> {
            webhook.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receivers.createContext("/api/v2/alerts", exchange -> {
            alertmanager.add(new Received(
                    clock.instant(), new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receivers.start();
        String receiver = "http://127.0.0.1:" + receivers.getAddress().getPort();
        try (ReplicationGroup group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                        .replicas("r1")
                        .recordsPerSegment(100)
                        .build();
                FaultProxy proxy = FaultProxy.start(endpoint.endpoint())) {
            group.write(300);
            Path jsonl = dir.resolve("alerts.jsonl");
            VigilConfig config = ConfigLoader.load(NodeConfigs.local(
                    dir.resolve("vigil.yaml"),
                    dir.resolve("unused"),
                    dir.resolve("work"),
                    group.replica("r1"),
                    """
                    archive:
                      rpo: 1m
                      retry-base: 1s
                      retry-max: 20s
                    alerts:
                      - type: jsonl
                        path: %s
                      - type: webhook
                        url: %s/hook
                        max-attempts: 1
                      - type: alertmanager
                        url: %s
                        max-attempts: 1
                    """.formatted(jsonl, receiver, receiver)));
            try (VigilServices services = new VigilServices(config, clock, storeThrough(endpoint, proxy))) {
                JobTracker tracker = new JobTracker(services.metrics(), clock, services.alerts(), "r1");
                pass(tracker, services);

                proxy.down(true);
                for (int tick = 0; tick < 60; tick++) { // ten minutes, a pass every ten seconds, a seal every minute
                    if (tick % 6 == 0) {
                        group.write(100);
                    }
                    clock.advance(Duration.ofSeconds(10));
                    pass(tracker, services);
                }
                proxy.down(false);
                for (int tick = 0; tick < 6; tick++) { // the backoff runs out, then everything is archived
                    clock.advance(Duration.ofSeconds(10));
                    pass(tracker, services);
                }
                assertThat(services.alerts().flush(Duration.ofSeconds(30))).isTrue();
                assertThat(services.alerts().openIncidents()).isEmpty();
            }
        } finally {
            receivers.stop(0);
        }

        List<JsonNode> fromJsonl = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("alerts.jsonl"))) {
            fromJsonl.add(json.readTree(line));
        }
        List<JsonNode> fromWebhook = new ArrayList<>();
        for (String body : webhook) {
            fromWebhook.add(json.readTree(body));
        }
        Map<String, List<String>> expected = new TreeMap<>(Map.of(
                "ARCHIVE_LAG|p-0001|r1",
                List.of("firing", "resolved"),
                "JOB_FAILED|r1|archive",
                List.of("firing", "resolved"),
                "STORE_UNAVAILABLE|" + endpoint.settings("vigil").describe(),
                List.of("firing", "resolved")));
        assertThat(byIncident(fromJsonl)).as("the JSON lines sink").isEqualTo(expected);
        assertThat(byIncident(fromWebhook)).as("the webhook").isEqualTo(expected);

        // Alertmanager is sent each firing incident again once a minute (its protocol: an alert not sent again ends at
        // its endsAt); what it notifies is one firing and one resolved per incident, as the real-Alertmanager test
        // shows. Every post of one incident carries the same startsAt.
        Map<String, List<String>> statuses = new TreeMap<>();
        Map<String, String> startsAt = new LinkedHashMap<>();
        for (Received post : alertmanager) {
            for (JsonNode alert : json.readTree(post.body())) {
                String incident = alert.get("labels").get("incident").asText();
                Instant end = Instant.parse(alert.get("endsAt").asText());
                // Firing: it ends in the future of when it was sent (Alertmanager keeps it until then).
                String status = end.isAfter(post.at()) ? "firing" : "resolved";
                List<String> seen = statuses.computeIfAbsent(incident, k -> new ArrayList<>());
                if (seen.isEmpty() || !seen.getLast().equals(status)) {
                    seen.add(status);
                }
                assertThat(startsAt.putIfAbsent(incident, alert.get("startsAt").asText()))
                        .as(incident)
                        .isIn(null, alert.get("startsAt").asText());
            }
        }
        assertThat(statuses).isEqualTo(expected);
    }

    /** A post to the Alertmanager API and the (test) time it arrived. */
    private record Received(Instant at, String body) {}

    /** Each incident's notifications, by key, in the order they came. */
    private static Map<String, List<String>> byIncident(List<JsonNode> notifications) {
        Map<String, List<String>> byKey = new TreeMap<>();
        for (JsonNode n : notifications) {
            byKey.computeIfAbsent(n.get("key").asText(), k -> new ArrayList<>())
                    .add(n.get("status").asText());
        }
        return byKey;
    }

    /** One archive job run, then its alerts delivered (so each arrives at the test time it was sent). */
    private static void pass(JobTracker tracker, VigilServices services) throws InterruptedException {
        tracker.run("archive", () -> {
            ArchiveReport report = services.archiver().runPass();
            return new JobOutcome(0, report.hasErrors(), "pass");
        });
        assertThat(services.alerts().flush(Duration.ofSeconds(30))).isTrue();
    }

    private static ObjectStore storeThrough(S3Endpoint endpoint, FaultProxy proxy) {
        S3Settings direct = endpoint.settings("vigil");
        return endpoint.openStore(new S3Settings(
                direct.bucket(),
                direct.prefix(),
                Optional.of(proxy.endpoint()),
                direct.region(),
                true,
                direct.profile(),
                direct.integrity(),
                direct.sdkChecksums(),
                direct.multipartThreshold(),
                direct.partSize(),
                1,
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                S3ServerSideEncryption.NONE));
    }
}
