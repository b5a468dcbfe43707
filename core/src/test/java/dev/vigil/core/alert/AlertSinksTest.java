package dev.vigil.core.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.core.LsnRange;
import dev.vigil.core.PartitionId;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertSinksTest {

    @TempDir
    Path dir;

    private static Alert alert(Instant time) {
        return Alert.of(AlertType.ARCHIVE_GAP, time)
                .partition(PartitionId.of("p-1"))
                .lsnRange(new LsnRange(5, 9))
                .message("LSNs [5..9] are missing")
                .action("find them")
                .build();
    }

    @Test
    void jsonLinesSinkAppendsOneObjectPerAlert() throws Exception {
        Path file = dir.resolve("alerts/alerts.jsonl");
        JsonLinesAlertSink sink = new JsonLinesAlertSink(file);
        sink.publish(alert(Instant.parse("2026-11-25T10:00:00Z")));
        sink.publish(alert(Instant.parse("2026-11-25T10:01:00Z")));

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        JsonNode first = new ObjectMapper().readTree(lines.getFirst());
        assertThat(first.get("type").asText()).isEqualTo("ARCHIVE_GAP");
        assertThat(first.get("severity").asText()).isEqualTo("CRITICAL");
        assertThat(first.get("partition").asText()).isEqualTo("p-1");
        assertThat(first.get("firstLsn").asLong()).isEqualTo(5);
        assertThat(first.get("lastLsn").asLong()).isEqualTo(9);
        assertThat(first.get("action").asText()).isEqualTo("find them");
    }

    @Test
    void webhookSinkRetriesUntilTheReceiverAccepts() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<String> bodies = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(calls.incrementAndGet() < 3 ? 503 : 204, -1);
            exchange.close();
        });
        server.start();
        try (WebhookAlertSink sink = new WebhookAlertSink(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook"),
                Duration.ofSeconds(2),
                3,
                Duration.ofMillis(10))) {
            sink.publish(alert(Instant.parse("2026-11-25T10:00:00Z")));
        } finally {
            server.stop(0);
        }
        assertThat(calls.get()).isEqualTo(3);
        assertThat(new ObjectMapper().readTree(bodies.getLast()).get("message").asText())
                .isEqualTo("LSNs [5..9] are missing");
    }

    @Test
    void webhookSinkGivesUpWithTheUrlAndTheLastAnswer() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        server.start();
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
        try (WebhookAlertSink sink = new WebhookAlertSink(url, Duration.ofSeconds(2), 2, Duration.ofMillis(10))) {
            assertThatThrownBy(() -> sink.publish(alert(Instant.EPOCH)))
                    .isInstanceOf(IOException.class)
                    .hasMessage("http://127.0.0.1:" + server.getAddress().getPort()
                            + "/… did not accept the alert after 2 attempts (last: HTTP 500)")
                    .message()
                    .doesNotContain("/hook");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aSlowWebhookNeverBlocksTheCallerAndAFullQueueDropsAndCounts() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> threads = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            threads.add(Thread.currentThread().getName());
            try {
                release.await(); // a webhook that hangs until the test lets it go
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        List<String> deliveringThreads = new CopyOnWriteArrayList<>();
        AlertSink observing = new AlertSink() {
            @Override
            public void publish(Alert alert) {
                deliveringThreads.add(Thread.currentThread().getName());
            }

            @Override
            public String describe() {
                return "observing";
            }
        };
        WebhookAlertSink slow = new WebhookAlertSink(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook"),
                Duration.ofSeconds(60),
                1,
                Duration.ofMillis(10));
        try (AlertDispatcher dispatcher =
                new AlertDispatcher("slow", List.of(slow, observing), Clock.systemUTC(), Duration.ZERO, 2)) {
            dispatcher.raise(Alert.of(AlertType.ARCHIVE_GAP, Instant.now())
                    .partition(PartitionId.of("p-0"))
                    .message("m")
                    .action("a")
                    .build());
            Instant deadline = Instant.now().plusSeconds(30);
            while (threads.isEmpty() && Instant.now().isBefore(deadline)) {
                Thread.sleep(10); // until the webhook holds the first alert
            }
            assertThat(threads).hasSize(1);
            long started = System.nanoTime();
            for (int i = 1; i < 10; i++) {
                dispatcher.raise(Alert.of(AlertType.ARCHIVE_GAP, Instant.now())
                        .partition(PartitionId.of("p-" + i))
                        .message("m")
                        .action("a")
                        .build());
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            // One alert is in delivery (hanging), two wait in the queue: seven are dropped, at once.
            assertThat(dispatcher.dropped()).isEqualTo(7);
            assertThat(took).as("raising never waits for a sink").isLessThan(Duration.ofSeconds(5));
            release.countDown();
            assertThat(dispatcher.flush(Duration.ofSeconds(30))).isTrue();
            assertThat(deliveringThreads)
                    .hasSize(3)
                    .allSatisfy(t -> assertThat(t).isEqualTo("vigil-alerts-slow"));
        } finally {
            server.stop(0);
        }
    }
}
