package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.AlertType;
import dev.vigil.demo.node.ReplicationGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop within {@code daemon.shutdown-timeout} in total, alert delivery included: a webhook that never answers no
 * longer holds the process for the dispatcher's own 30 s (a systemd {@code TimeoutStopSec} set as the docs advise would
 * have killed it).
 */
class DaemonShutdownTest {

    @TempDir
    Path dir;

    @Test
    void aHangingWebhookDoesNotStretchTheStopBeyondTheShutdownTimeout() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        HttpServer hanging = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        hanging.setExecutor(Executors.newCachedThreadPool());
        hanging.createContext("/hook", exchange -> {
            try {
                never.await(); // a receiver that takes the request and never answers
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        hanging.start();
        try (ReplicationGroup group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                .replicas("r1")
                .recordsPerSegment(100)
                .build()) {
            group.write(150);
            Path config = NodeConfigs.local(
                    dir.resolve("r1.yaml"),
                    dir.resolve("repo"),
                    dir.resolve("work"),
                    group.replica("r1"),
                    """
                    daemon:
                      http-port: 0
                      shutdown-timeout: 2s
                    alerts:
                      - type: webhook
                        url: http://127.0.0.1:%d/hook
                        timeout: 60s
                        max-attempts: 3
                    """.formatted(hanging.getAddress().getPort()));
            RunningDaemon daemon = RunningDaemon.start(config);
            for (int i = 0; i < 3; i++) {
                daemon.services()
                        .alerts()
                        .raise(Alert.of(AlertType.WAL_DIVERGENCE, Instant.now())
                                .key("WAL_DIVERGENCE|test-" + i)
                                .message("copies differ")
                                .action("compare them")
                                .build());
            }
            long started = System.nanoTime();
            daemon.close();
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(took)
                    .as("the stop, alert delivery included, within shutdown-timeout (2 s) and a margin for the JVM")
                    .isLessThan(Duration.ofSeconds(6));
            assertThat(daemon.services().alerts().pending())
                    .as("undelivered, and logged as such")
                    .isPositive();
        } finally {
            never.countDown();
            hanging.stop(0);
        }
    }
}
