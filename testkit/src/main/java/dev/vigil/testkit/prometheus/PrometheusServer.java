package dev.vigil.testkit.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.testkit.tools.RequiredTool;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real Prometheus (Debian's {@code prometheus}) started for a test on loopback: it scrapes the given targets every
 * second and evaluates the given rule files every second, so a test can ask what a deployment's monitoring sees.
 * Closed by the test.
 */
public final class PrometheusServer implements AutoCloseable {

    private final Process process;
    private final URI url;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private PrometheusServer(Process process, URI url) {
        this.process = process;
        this.url = url;
    }

    /**
     * Starts Prometheus in {@code dir}, scraping {@code targets} ({@code host:port}, as job {@code vigil}) with
     * {@code ruleFiles} loaded, and waits until it is ready.
     */
    public static PrometheusServer start(Path dir, List<String> targets, List<Path> ruleFiles)
            throws IOException, InterruptedException {
        Path binary = RequiredTool.find("prometheus", "apt-get install prometheus");
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Files.createDirectories(dir);
        Path config = Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 900ms
                  evaluation_interval: 1s
                rule_files: [%s]
                scrape_configs:
                  - job_name: vigil
                    static_configs:
                      - targets: [%s]
                """.formatted(
                ruleFiles.stream().map(f -> "'" + f.toAbsolutePath() + "'").collect(Collectors.joining(", ")),
                targets.stream().map(t -> "'" + t + "'").collect(Collectors.joining(", "))));
        Process process = new ProcessBuilder(
                        binary.toString(),
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + Files.createDirectories(dir.resolve("data")),
                        "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
        PrometheusServer server = new PrometheusServer(process, URI.create("http://127.0.0.1:" + port));
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException("prometheus exited: " + Files.readString(dir.resolve("prometheus.log")));
            }
            try {
                if (server.get("/-/ready").statusCode() == 200) {
                    return server;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        server.close();
        throw new IOException(
                "prometheus did not become ready in 60 s: " + Files.readString(dir.resolve("prometheus.log")));
    }

    private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(url + pathAndQuery))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The result of an instant query ({@code data.result}: one element per series). */
    public JsonNode query(String promql) throws IOException, InterruptedException {
        HttpResponse<String> response = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        JsonNode body = json.readTree(response.body());
        if (!"success".equals(body.path("status").asText())) {
            throw new IOException("query " + promql + " failed: " + response.body());
        }
        return body.get("data").get("result");
    }

    /** Every alerting and recording rule as Prometheus evaluates it ({@code /api/v1/rules}: groups, their rules). */
    public JsonNode rules() throws IOException, InterruptedException {
        return json.readTree(get("/api/v1/rules").body()).get("data").get("groups");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        http.close();
    }
}
