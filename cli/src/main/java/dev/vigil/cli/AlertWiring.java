package dev.vigil.cli;

import dev.vigil.core.alert.AlertDispatcher;
import dev.vigil.core.alert.AlertSink;
import dev.vigil.core.alert.AlertmanagerAlertSink;
import dev.vigil.core.alert.JsonLinesAlertSink;
import dev.vigil.core.alert.LogAlertSink;
import dev.vigil.core.alert.WebhookAlertSink;
import dev.vigil.core.config.AlertSinkConfig;
import dev.vigil.core.config.VigilConfig;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** How a process's alerts are wired: the configured sinks, and the dispatcher's meters in {@code /metrics}. */
final class AlertWiring {

    private AlertWiring() {}

    /** The sinks the configuration names, in its order; {@code host} names this process in Alertmanager's labels. */
    static List<AlertSink> sinks(VigilConfig config, Clock clock, String host) {
        List<AlertSink> sinks = new ArrayList<>();
        for (AlertSinkConfig sink : config.alerts()) {
            sinks.add(
                    switch (sink) {
                        case AlertSinkConfig.Log log -> new LogAlertSink();
                        case AlertSinkConfig.JsonLines jsonl -> new JsonLinesAlertSink(jsonl.path());
                        case AlertSinkConfig.Webhook webhook ->
                            new WebhookAlertSink(
                                    webhook.url(), webhook.timeout(), webhook.maxAttempts(), Duration.ofMillis(500));
                        case AlertSinkConfig.Alertmanager manager ->
                            new AlertmanagerAlertSink(
                                    manager.url(),
                                    manager.timeout(),
                                    manager.maxAttempts(),
                                    Duration.ofMillis(500),
                                    host,
                                    manager.generatorUrl(),
                                    AlertDispatcher.REFRESH_INTERVAL,
                                    config.daemon().alertDedupWindow(),
                                    clock);
                    });
        }
        return sinks;
    }

    /** The dispatcher's dropped, suppressed, pending and open counts, as meters of {@code metrics}. */
    static void registerMeters(AlertDispatcher dispatcher, MeterRegistry metrics) {
        FunctionCounter.builder("vigil.alerts.dropped", dispatcher, AlertDispatcher::dropped)
                .description("Alert notifications dropped because the delivery queue was full (each is in the log)")
                .register(metrics);
        FunctionCounter.builder("vigil.alerts.suppressed", dispatcher, AlertDispatcher::suppressed)
                .description("Repeats not sent: updates of an open incident or events within the repeat window")
                .register(metrics);
        Gauge.builder("vigil.alerts.pending", dispatcher, AlertDispatcher::pending)
                .description("Alert notifications made and not yet delivered to every sink")
                .register(metrics);
        Gauge.builder("vigil.alerts.open", dispatcher, d -> d.openIncidents().size())
                .description("Incidents open now (fired and not resolved)")
                .register(metrics);
    }
}
