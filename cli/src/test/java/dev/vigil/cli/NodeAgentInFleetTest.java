package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.PartitionId;
import dev.vigil.core.node.StorageNodeContract;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.store.PutRequest;
import dev.vigil.core.wal.SegmentReader;
import dev.vigil.core.wal.SegmentSummary;
import dev.vigil.demo.node.Divergence;
import dev.vigil.demo.node.ReplicationGroup;
import dev.vigil.testkit.time.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node agent in a fleet (its {@code fleet:} section set, so archive verification is the workers', which have no
 * node) still compares the segments it holds with the archive: an archived object replaced after the node archived it
 * by a consistent forgery (another valid segment of the same LSNs, stored with a matching checksum, which the fleet's
 * re-read cannot tell) is found on the node's schedule, as node-local verification finds it.
 */
class NodeAgentInFleetTest {

    private static final PartitionId P = PartitionId.of("p-0001");
    private static final String KEY = "partitions/p-0001/wal/00000000000000000201-00000000000000000300.seg";

    @TempDir
    Path dir;

    @Test
    void aNodeAgentInAFleetFindsAnArchivedObjectThatDiffersFromItsCopy() throws Exception {
        try (ReplicationGroup group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                        .replicas("r1", "r2", "r3")
                        .recordsPerSegment(100)
                        .build();
                HttpClient http = HttpClient.newHttpClient()) {
            group.diverge("r2", 250, Divergence.ALTER_IN_WAL); // r2's copy: valid, one value different
            group.write(300);
            group.sealAll();
            Path config = NodeConfigs.local(
                    dir.resolve("r3.yaml"),
                    dir.resolve("repo"),
                    dir.resolve("work-r3"),
                    group.replica("r3"),
                    """
                    schedule:
                      verify-archive: "* * * * * ?"
                      scrub: "0 0 0 1 1 ? 2099"
                    daemon:
                      http-port: 0
                    fleet:
                      jdbc-url: jdbc:postgresql://127.0.0.1:1/vigil
                    alerts:
                      - type: jsonl
                        path: %s
                    """.formatted(dir.resolve("alerts.jsonl")));
            CliRun archived = CliRun.of("archive", "--config", config.toString());
            assertThat(archived.exitCode()).as(archived.out() + archived.err()).isZero();
            Path forged = StorageNodeContract.walDir(group.replica("r2").root(), P)
                    .resolve("00000000000000000201-00000000000000000300.seg");
            SegmentSummary forgery = SegmentReader.validate(forged);
            try (ObjectStore store = ObjectStores.localDirectory(dir.resolve("repo"), Clock.systemUTC())) {
                store.put(PutRequest.overwrite(
                        KEY, ObjectBody.ofBytes(Files.readAllBytes(forged)), forgery.checksum(), Map.of()));
            }

            try (RunningDaemon daemon = RunningDaemon.start(config)) {
                Await.until(
                        () -> read(dir.resolve("alerts.jsonl")).contains("ARCHIVE_CORRUPT"),
                        Duration.ofMinutes(1),
                        "the node agent compared its copies");
                JsonNode health = new ObjectMapper()
                        .readTree(http.send(
                                        HttpRequest.newBuilder(
                                                        URI.create("http://127.0.0.1:" + daemon.port() + "/health"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .body());
                assertThat(health.path("jobs").has("compare-node-copies"))
                        .as(health.toString())
                        .isTrue();
                assertThat(health.path("jobs").has("verify-archive")).isFalse();
            }
            String alerts = Files.readString(dir.resolve("alerts.jsonl"));
            Path local = StorageNodeContract.walDir(group.replica("r3").root(), P)
                    .resolve("00000000000000000201-00000000000000000300.seg");
            assertThat(alerts)
                    .contains(KEY + " differs from this node's copy " + local + " (archived "
                            + Files.size(forged) + " bytes " + forgery.checksum() + ", local " + Files.size(local)
                            + " bytes " + SegmentReader.validate(local).checksum() + ")");
        }
    }

    private static String read(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
