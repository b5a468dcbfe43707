package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.cli.config.ConfigLoader;
import dev.vigil.cli.daemon.Daemon;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.demo.node.ReplicationGroup;
import dev.vigil.demo.node.SimulatedReplica;
import dev.vigil.testkit.s3.S3Endpoint;
import dev.vigil.testkit.s3.S3ServerKind;
import dev.vigil.testkit.s3.UsingS3;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * No secret in any output, ever: secrets are planted where an operator puts them (the S3 secret key in the default
 * chain, tokens in an alert receiver's path and query, a parameter in the fleet database's URL, a password in a URL
 * setting), every command and the daemon run against them with their receivers failing (so error paths print), and
 * every output is searched: what each command printed (text and {@code --json}), the log, {@code /health} and
 * {@code /metrics}, the files written (reports, alert lines, the work directory) and every object in the repository.
 */
@UsingS3(S3ServerKind.S3PROXY)
class SecretsNeverPrintedTest {

    private static final String HOOK_TOKEN = "PLANTEDHOOKTOKEN7f3a";
    private static final String QUERY_TOKEN = "PLANTEDQUERYTOKEN9c1e";
    private static final String JDBC_TOKEN = "PLANTEDJDBCTOKEN4d2b";
    private static final String URL_PASSWORD = "PLANTEDPASSWORD5e8f";

    @TempDir
    Path dir;

    @Test
    void noPlantedSecretReachesAnyOutputOfAnyCommandOrTheDaemon(S3Endpoint endpoint) throws Exception {
        String s3Secret = endpoint.credentials().resolveCredentials().secretAccessKey();
        List<String> secrets = List.of(HOOK_TOKEN, QUERY_TOKEN, JDBC_TOKEN, URL_PASSWORD, s3Secret);
        List<String> outputs = new ArrayList<>();
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        log.start();
        root.addAppender(log);
        // Receivers that refuse everything, so that every delivery fails and is logged with where it went.
        HttpServer receivers = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        receivers.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        receivers.start();
        String receiver = "http://127.0.0.1:" + receivers.getAddress().getPort();
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort(); // nothing listens there once closed
        }
        try (ReplicationGroup group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                .replicas("r1")
                .recordsPerSegment(100)
                .build()) {
            group.write(350);
            SimulatedReplica node = group.replica("r1");
            String repository = """
                      url: s3://%s/vigil
                      s3:
                        endpoint: %s
                    """.formatted(endpoint.bucket(), endpoint.endpoint());
            String alerts = """
                    alerts:
                      - type: log
                      - type: jsonl
                        path: %s
                      - type: webhook
                        url: %s/hooks/%s?token=%s
                        max-attempts: 1
                      - type: alertmanager
                        url: %s/am?key=%s
                        max-attempts: 1
                    daemon:
                      http-port: 0
                      shutdown-timeout: 5s
                    """.formatted(
                            dir.resolve("alerts.jsonl"), receiver, HOOK_TOKEN, QUERY_TOKEN, receiver, QUERY_TOKEN);
            Path config = NodeConfigs.write(dir.resolve("vigil.yaml"), repository, dir.resolve("work"), node, alerts);
            Path fleet = NodeConfigs.write(
                    dir.resolve("fleet.yaml"),
                    repository,
                    dir.resolve("work-fleet"),
                    node,
                    alerts + """
                    fleet:
                      jdbc-url: jdbc:postgresql://127.0.0.1:%d/vigil?options=%s
                    """.formatted(closedPort, JDBC_TOKEN));
            Path refused =
                    NodeConfigs.write(dir.resolve("refused.yaml"), repository, dir.resolve("work"), node, """
                    alerts:
                      - type: webhook
                        url: https://ops:%s@hooks.example.org/vigil
                    fleet:
                      jdbc-url: jdbc:postgresql://vigil:%s@db.example.org/vigil
                    """.formatted(
                                    URL_PASSWORD, URL_PASSWORD));

            List<String[]> commands = List.of(
                    new String[] {"check-config", "--config", config.toString(), "--connect"},
                    new String[] {"check-config", "--config", fleet.toString(), "--connect"},
                    new String[] {"check-config", "--config", refused.toString()},
                    new String[] {"archive", "--config", config.toString(), "--json"},
                    new String[] {"archive", "--config", config.toString()},
                    new String[] {"scrub", "--config", config.toString()},
                    new String[] {"verify", "archive", "--config", config.toString(), "--json"},
                    new String[] {"verify", "replicas", "--config", config.toString()},
                    new String[] {"status", "--config", config.toString(), "--json"},
                    new String[] {"status", "--config", fleet.toString(), "--timeout", "10s"},
                    new String[] {
                        "report",
                        "--config",
                        config.toString(),
                        "--out",
                        dir.resolve("reports").toString()
                    },
                    new String[] {"drill", "--config", config.toString(), "--json"},
                    new String[] {"retention", "--config", config.toString(), "--dry-run", "--json"},
                    new String[] {
                        "restore",
                        "--config",
                        config.toString(),
                        "--partition",
                        "p-0001",
                        "--latest",
                        "--target",
                        dir.resolve("restored").toString(),
                        "--json"
                    },
                    new String[] {"worker", "--config", fleet.toString()});
            for (String[] command : commands) {
                CliRun run = DefaultChainCredentials.of(endpoint, () -> CliRun.of(command));
                outputs.add(String.join(" ", command) + " -> " + run.exitCode() + "\n" + run.out() + run.err());
            }
            outputs.add(daemonEndpoints(endpoint, config));
        } finally {
            receivers.stop(0);
            root.detachAppender(log);
        }
        for (ILoggingEvent event : log.list) {
            outputs.add(event.getFormattedMessage()
                    + (event.getThrowableProxy() == null
                            ? ""
                            : ThrowableProxyUtil.asString(event.getThrowableProxy())));
        }
        outputs.add(filesUnder(dir));
        outputs.add(repositoryObjects(endpoint));

        String everything = String.join("\n", outputs);
        // The searches found something to search: the commands ran, failed deliveries were logged, alerts recorded.
        assertThat(everything)
                .contains("could not be delivered to webhook http://127.0.0.1:", "/…", "COMPLIANCE_FAILED")
                .contains("carries credentials (user:password@)", "https://***@hooks.example.org/…")
                .contains("jdbc:postgresql://127.0.0.1:" + closedPort + "/vigil?…");
        for (String secret : secrets) {
            assertThat(everything)
                    .as("no output holds the planted secret " + secret)
                    .doesNotContain(secret);
        }
    }

    /** Runs the daemon for one archive pass and returns what /health and /metrics said, and its log. */
    private String daemonEndpoints(S3Endpoint endpoint, Path config) throws Exception {
        return DefaultChainCredentials.of(endpoint, () -> {
            VigilConfig loaded = ConfigLoader.load(config);
            try (VigilServices services = new VigilServices(
                            loaded, Clock.systemUTC(), VigilServices.Role.NODE_AGENT, "vigil daemon for node r1");
                    HttpClient http = HttpClient.newHttpClient()) {
                services.registerProcessMetrics();
                Daemon daemon = Daemon.start(
                        "r1",
                        services.daemonServices(),
                        loaded.schedule(),
                        loaded.daemon(),
                        true,
                        services.metrics(),
                        services.alerts(),
                        services.clock());
                try {
                    URI health = URI.create("http://127.0.0.1:" + daemon.httpPort() + "/health");
                    String body = "";
                    Instant deadline = Instant.now().plusSeconds(30);
                    while (Instant.now().isBefore(deadline)) {
                        HttpResponse<String> response =
                                http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString());
                        body = response.body();
                        if (response.statusCode() == 200) {
                            break; // the first archive pass ran
                        }
                        Thread.sleep(50);
                    }
                    String metrics = http.send(
                                    HttpRequest.newBuilder(
                                                    URI.create("http://127.0.0.1:" + daemon.httpPort() + "/metrics"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body();
                    return body + "\n" + metrics;
                } finally {
                    daemon.stop();
                    daemon.awaitStopped();
                    services.alerts().flush(Duration.ofSeconds(10));
                }
            }
        });
    }

    private static String filesUnder(Path root) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                if (file.toString().contains("/nodes/")
                        || (file.getParent().equals(root) && file.toString().endsWith(".yaml"))) {
                    continue; // the storage nodes' own data and the configurations: inputs, not Vigil's output
                }
                all.append(file).append('\n');
                all.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
                        .append('\n');
            }
        }
        return all.toString();
    }

    private static String repositoryObjects(S3Endpoint endpoint) {
        StringBuilder all = new StringBuilder();
        for (S3Object object : endpoint.client()
                .listObjectsV2Paginator(
                        ListObjectsV2Request.builder().bucket(endpoint.bucket()).build())
                .contents()) {
            ResponseBytes<GetObjectResponse> bytes = endpoint.client()
                    .getObjectAsBytes(b -> b.bucket(endpoint.bucket()).key(object.key()));
            all.append(object.key())
                    .append('\n')
                    .append(bytes.response().metadata())
                    .append('\n')
                    .append(new String(bytes.asByteArray(), StandardCharsets.ISO_8859_1))
                    .append('\n');
        }
        return all.toString();
    }
}
