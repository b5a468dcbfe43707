package dev.vigil.core.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Where alerts go. Several sinks may be configured; every alert goes to all of them. */
public sealed interface AlertSinkConfig {

    /** The daemon's log (always useful, never enough on its own). */
    record Log() implements AlertSinkConfig {}

    /** One JSON object per line, appended to {@code path}. */
    record JsonLines(Path path) implements AlertSinkConfig {}

    /** An HTTP POST of the alert as JSON to {@code url}, retried up to {@code maxAttempts} times. */
    record Webhook(URI url, Duration timeout, int maxAttempts) implements AlertSinkConfig {}

    /**
     * A Prometheus Alertmanager at {@code url} (its base, e.g. {@code http://alertmanager:9093}), through its v2 API;
     * {@code generatorUrl} is where its alerts link to (a dashboard), if anywhere.
     */
    record Alertmanager(URI url, Duration timeout, int maxAttempts, Optional<URI> generatorUrl)
            implements AlertSinkConfig {}
}
