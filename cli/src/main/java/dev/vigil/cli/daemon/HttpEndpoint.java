package dev.vigil.cli.daemon;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.core.repository.RepositoryJson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The daemon's local HTTP endpoint: {@code GET /health} (JSON, see {@link DaemonHealth} and {@link WorkerHealth}; 200 while the daemon runs,
 * 503 while it stops) and {@code GET /metrics} (Prometheus text format). One named thread serves both.
 */
final class HttpEndpoint implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;

    HttpEndpoint(String instance, String host, int port, PrometheusMeterRegistry metrics, HealthSource health)
            throws IOException {
        try {
            this.server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new IOException(
                    "cannot listen on " + host + ":" + port + " for /health and /metrics (" + e.getMessage()
                            + "); set daemon.http-port to a free port",
                    e);
        }
        this.executor = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("vigil-http-" + instance).daemon().factory());
        server.setExecutor(executor);
        server.createContext(
                "/metrics",
                exchange -> respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
        server.createContext("/health", exchange -> {
            Map<String, Object> document = health.document();
            respond(
                    exchange,
                    health.stopping() ? 503 : 200,
                    "application/json",
                    RepositoryJson.MAPPER.writeValueAsString(document));
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
