package dev.vigil.testkit.alertmanager;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.testkit.tools.RequiredTool;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus Alertmanager (Debian's {@code prometheus-alertmanager}) started for a test on loopback, routing
 * every alert to a webhook receiver the test reads: what Alertmanager itself notified, firing and resolved
 * ({@code send_resolved}), each alert in a group of its own, with short group timers. Closed by the test.
 */
public final class AlertmanagerServer implements AutoCloseable {

    private final Process process;
    private final HttpServer receiver;
    private final URI url;
    private final List<String> notifications = new ArrayList<>();

    private AlertmanagerServer(Process process, HttpServer receiver, URI url) {
        this.process = process;
        this.receiver = receiver;
        this.url = url;
    }

    /** Starts Alertmanager in {@code dir} and waits until it is ready. */
    public static AlertmanagerServer start(Path dir) throws IOException, InterruptedException {
        Path binary = RequiredTool.find("prometheus-alertmanager", "apt-get install prometheus-alertmanager");
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        AlertmanagerServer[] self = new AlertmanagerServer[1];
        receiver.createContext("/notify", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            synchronized (self) {
                if (self[0] != null) {
                    self[0].received(body);
                }
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        int port = freePort();
        Path config = Files.writeString(Files.createDirectories(dir).resolve("alertmanager.yml"), """
                route:
                  receiver: recorder
                  group_by: ['...']
                  group_wait: 1s
                  group_interval: 1s
                  repeat_interval: 1h
                receivers:
                  - name: recorder
                    webhook_configs:
                      - url: http://127.0.0.1:%d/notify
                        send_resolved: true
                """.formatted(
                        receiver.getAddress().getPort()));
        Process process = new ProcessBuilder(
                        binary.toString(),
                        "--config.file=" + config,
                        "--storage.path=" + Files.createDirectories(dir.resolve("data")),
                        "--web.listen-address=127.0.0.1:" + port,
                        "--cluster.listen-address=")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("alertmanager.log").toFile())
                .start();
        URI url = URI.create("http://127.0.0.1:" + port);
        AlertmanagerServer server = new AlertmanagerServer(process, receiver, url);
        synchronized (self) {
            self[0] = server;
        }
        server.awaitReady(dir);
        return server;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void awaitReady(Path dir) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        try (HttpClient client = HttpClient.newHttpClient()) {
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new IOException("alertmanager exited: " + Files.readString(dir.resolve("alertmanager.log")));
                }
                try {
                    HttpResponse<Void> ready = client.send(
                            HttpRequest.newBuilder(url.resolve("/-/ready"))
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (ready.statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // still starting
                }
                Thread.sleep(100);
            }
        }
        close();
        throw new IOException(
                "alertmanager did not become ready in 30 s: " + Files.readString(dir.resolve("alertmanager.log")));
    }

    private synchronized void received(String body) {
        notifications.add(body);
        notifyAll();
    }

    /** Alertmanager's base URL, as a sink is configured with it. */
    public URI url() {
        return url;
    }

    /** The webhook notifications Alertmanager sent so far (its JSON bodies), in order. */
    public synchronized List<String> notifications() {
        return List.copyOf(notifications);
    }

    /** Waits until at least {@code count} notifications arrived, for at most {@code timeout}. */
    public synchronized List<String> awaitNotifications(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (notifications.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return List.copyOf(notifications);
    }

    /** What Alertmanager holds now ({@code GET /api/v2/alerts}), as JSON. */
    public String alerts() throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(
                            HttpRequest.newBuilder(url.resolve("/api/v2/alerts"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        }
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
        receiver.stop(0);
    }
}
