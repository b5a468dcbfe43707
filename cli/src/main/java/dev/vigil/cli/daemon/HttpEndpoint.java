package dev.vigil.cli.daemon;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.core.repository.RepositoryJson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The local HTTP endpoint of a daemon or worker: exactly {@code GET /health} (JSON, see {@link DaemonHealth} and
 * {@link WorkerHealth}; HTTP 200 while the process works, 503 while it starts or stops) and {@code GET /metrics}
 * (Prometheus text format); {@code HEAD} of either; 405 for any other method, 404 for any other path
 * ({@code /healthz} is not {@code /health}).
 *
 * <p>It cannot be blinded by one slow client. The JDK's server reads a request on the thread that handles it, so one
 * connection that sends half a request and waits held the single thread this endpoint used to have, and every scrape
 * and probe behind it failed. Now every exchange gets its own virtual thread (named {@code vigil-http-<instance>-N}),
 * which a blocked read parks instead of pinning, and a request that is not complete within
 * {@link #REQUEST_TIME_LIMIT_SECONDS} (or whose response is not taken within as long) has its connection closed; at
 * most {@link #MAX_CONNECTIONS} connections are open at once. The JDK's server takes these limits only from system
 * properties read once per JVM ({@code sun.net.httpserver.maxReqTime}, {@code sun.net.httpserver.maxRspTime},
 * {@code jdk.httpserver.maxConnections}): they are set before the first server starts unless the operator set them.
 */
final class HttpEndpoint implements AutoCloseable {

    /** Seconds a client has to send a whole request, and to take the response, before its connection is closed. */
    static final int REQUEST_TIME_LIMIT_SECONDS = 10;

    /** Connections served at once; more wait in the listen backlog. */
    static final int MAX_CONNECTIONS = 256;

    private static final String JSON = "application/json";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;

    HttpEndpoint(String instance, String host, int port, PrometheusMeterRegistry metrics, HealthSource health)
            throws IOException {
        limitRequests();
        try {
            this.server = HttpServer.create(new InetSocketAddress(host, port), 64);
        } catch (IOException e) {
            throw new IOException(
                    "cannot listen on " + host + ":" + port + " for /health and /metrics (" + e.getMessage()
                            + "); set daemon.http-port to a free port",
                    e);
        }
        this.executor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("vigil-http-" + instance + "-", 0).factory());
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                route(exchange, metrics, health);
            }
        });
        server.start();
    }

    /** Sets the JDK server's limits (see the class comment) where the operator did not; read once per JVM. */
    private static void limitRequests() {
        setIfAbsent("sun.net.httpserver.maxReqTime", Integer.toString(REQUEST_TIME_LIMIT_SECONDS));
        setIfAbsent("sun.net.httpserver.maxRspTime", Integer.toString(REQUEST_TIME_LIMIT_SECONDS));
        setIfAbsent("jdk.httpserver.maxConnections", Integer.toString(MAX_CONNECTIONS));
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    private static void route(HttpExchange exchange, PrometheusMeterRegistry metrics, HealthSource health)
            throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        Supplier<Response> response = switch (path) {
            case "/health" ->
                () -> {
                    HealthSource.Health now = health.health();
                    try {
                        return new Response(
                                now.status().httpStatus(),
                                JSON,
                                RepositoryJson.MAPPER.writeValueAsString(now.document()));
                    } catch (IOException e) {
                        return new Response(500, "text/plain; charset=utf-8", "cannot write the health document\n");
                    }
                };
            case "/metrics" -> () -> new Response(200, PROMETHEUS_TEXT, metrics.scrape());
            default -> null;
        };
        if (response == null) {
            send(exchange, new Response(404, "text/plain; charset=utf-8", "not found: only /health and /metrics\n"));
            return;
        }
        String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            send(exchange, new Response(405, "text/plain; charset=utf-8", "method not allowed: use GET or HEAD\n"));
            return;
        }
        send(exchange, response.get());
    }

    /** A response to send. */
    private record Response(int status, String type, String body) {}

    private static void send(HttpExchange exchange, Response response) throws IOException {
        byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", response.type());
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(bytes.length));
            exchange.sendResponseHeaders(response.status(), -1);
            return;
        }
        exchange.sendResponseHeaders(response.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
