package dev.vigil.core.config;

import java.time.Duration;

/**
 * The daemon's own settings ({@code daemon} section).
 *
 * @param httpHost          address the {@code /health} and {@code /metrics} endpoint binds to (loopback by default)
 * @param httpPort          its port; 0 picks a free one (tests)
 * @param shutdownTimeout   how long SIGTERM waits for running jobs and uploads before interrupting them
 * @param alertDedupWindow  an alert with the same key is not repeated within this window
 */
public record DaemonConfig(String httpHost, int httpPort, Duration shutdownTimeout, Duration alertDedupWindow) {

    public static DaemonConfig defaults() {
        return new DaemonConfig("127.0.0.1", 9464, Duration.ofSeconds(30), Duration.ofHours(1));
    }
}
