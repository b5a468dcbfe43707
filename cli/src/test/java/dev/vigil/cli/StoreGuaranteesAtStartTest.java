package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.demo.node.ReplicationGroup;
import dev.vigil.testkit.s3.S3Endpoint;
import dev.vigil.testkit.s3.S3ServerKind;
import dev.vigil.testkit.s3.UsingS3;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the S3 server guarantees, before anything is written: {@code check-config --connect} prints the table; the daemon
 * refuses to start where its default cannot keep uploads honest (moto validates neither checksum headers nor
 * Content-MD5), naming the setting; an explicit setting the server does not back is a warning on {@code /health}; and
 * the probe is remembered in the work directory.
 */
class StoreGuaranteesAtStartTest {

    @TempDir
    Path dir;

    private Path config(S3Endpoint endpoint, ReplicationGroup group, String integrity) throws Exception {
        return NodeConfigs.write(
                dir.resolve("vigil-" + integrity + ".yaml"),
                """
                  url: s3://%s/vigil
                  s3:
                    endpoint: %s
                    integrity: %s
                """.formatted(endpoint.bucket(), endpoint.endpoint(), integrity),
                dir.resolve("work"),
                group.replica("r1"),
                "daemon:\n  http-port: 0\n");
    }

    @Test
    @UsingS3(S3ServerKind.MOTO)
    void onAServerThatValidatesNeitherTheDaemonRefusesToStartAndAnExplicitChoiceIsAWarningOnHealth(S3Endpoint endpoint)
            throws Exception {
        try (ReplicationGroup group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                        .replicas("r1")
                        .build();
                HttpClient http = HttpClient.newHttpClient()) {
            group.write(10);
            Path auto = config(endpoint, group, "auto");
            CliRun refused =
                    DefaultChainCredentials.of(endpoint, () -> CliRun.of("daemon", "--config", auto.toString()));
            assertThat(refused.exitCode()).as(refused.out() + refused.err()).isEqualTo(ExitCodes.USAGE);
            assertThat(refused.err())
                    .contains(
                            "validates neither x-amz-checksum-* (stored, HTTP 200) nor Content-MD5 (stored, HTTP 200)")
                    .contains("set checksum-header or content-md5 to write anyway");
            assertThat(dir.resolve("work/state/s3-probe.properties")).exists();

            Path chosen = config(endpoint, group, "checksum-header");
            CliRun check = DefaultChainCredentials.of(
                    endpoint, () -> CliRun.of("check-config", "--config", chosen.toString(), "--connect"));
            assertThat(check.out())
                    .contains("guarantees  what s3://" + endpoint.bucket() + "/vigil was found to do (probed ")
                    .containsPattern("a put whose x-amz-checksum-\\* does not match its body is refused +NO \\(stored,"
                            + " HTTP 200\\) +sends x-amz-checksum-crc32c")
                    .contains("WARNING     repository.s3.integrity is checksum-header, but the server stores a put");

            JsonNode health = DefaultChainCredentials.of(endpoint, () -> {
                try (RunningDaemon daemon = RunningDaemon.start(chosen)) {
                    return new ObjectMapper()
                            .readTree(http.send(
                                            HttpRequest.newBuilder(
                                                            URI.create("http://127.0.0.1:" + daemon.port() + "/health"))
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString())
                                    .body());
                }
            });
            assertThat(health.path("reasons").toString())
                    .contains(
                            "the repository: repository.s3.integrity is checksum-header, but the server stores a put");
            assertThat(Files.readString(dir.resolve("work/state/s3-probe.properties")))
                    .contains("checksumHeader.holds=false");
        }
    }
}
