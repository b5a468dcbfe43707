package dev.vigil.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The /health and /metrics endpoint: exact paths, GET and HEAD only, and no slow client can blind it. */
class HttpEndpointTest {

    private final AtomicReference<HealthSource.Status> status = new AtomicReference<>(HealthSource.Status.UP);
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<Socket> idle = new ArrayList<>();
    private HttpEndpoint endpoint;
    private HttpClient http;

    @BeforeEach
    void start() throws Exception {
        metrics.counter("vigil.test.scrapes").increment();
        endpoint = new HttpEndpoint(
                "test",
                "127.0.0.1",
                0,
                metrics,
                () -> new HealthSource.Health(status.get(), Map.of("status", status.get(), "reasons", List.of())));
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket socket : idle) {
            socket.close();
        }
        http.close();
        endpoint.close();
        metrics.close();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path))
                        .timeout(Duration.ofSeconds(5))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void fiftyHalfOpenConnectionsDoNotBlindTheScrapes() throws Exception {
        for (int i = 0; i < 50; i++) {
            Socket socket = new Socket(InetAddress.getLoopbackAddress(), endpoint.port());
            OutputStream out = socket.getOutputStream();
            // Half a request, never finished: the old single-threaded endpoint waited on it for as long as it stayed.
            out.write("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            idle.add(socket);
        }
        for (int scrape = 0; scrape < 10; scrape++) {
            HttpResponse<String> metricsResponse = send("GET", "/metrics");
            assertThat(metricsResponse.statusCode()).isEqualTo(200);
            assertThat(metricsResponse.body()).contains("vigil_test_scrapes_total 1.0");
            assertThat(metricsResponse.headers().firstValue("Content-Type"))
                    .contains("text/plain; version=0.0.4; charset=utf-8");
            HttpResponse<String> health = send("GET", "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"UP\"");
        }
    }

    @Test
    void onlyTheExactPathsAndOnlyGetAndHeadAreServed() throws Exception {
        assertThat(send("GET", "/healthXYZ").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/metrics/x").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/").statusCode()).isEqualTo(404);
        HttpResponse<String> post = send("POST", "/health");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
        assertThat(send("DELETE", "/metrics").statusCode()).isEqualTo(405);
        HttpResponse<String> head = send("HEAD", "/health");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void startingAndStoppingAnswer503AndDegradedStill200() throws Exception {
        status.set(HealthSource.Status.STARTING);
        HttpResponse<String> starting = send("GET", "/health");
        assertThat(starting.statusCode()).isEqualTo(503);
        assertThat(starting.body()).contains("\"status\":\"STARTING\"");
        status.set(HealthSource.Status.DEGRADED);
        assertThat(send("GET", "/health").statusCode()).isEqualTo(200);
        status.set(HealthSource.Status.STOPPING);
        assertThat(send("GET", "/health").statusCode()).isEqualTo(503);
    }
}
