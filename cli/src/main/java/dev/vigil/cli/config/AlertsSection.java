package dev.vigil.cli.config;

import dev.vigil.core.config.AlertSinkConfig;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Binds {@code alerts}: the sinks alerts go to (log, JSON lines, webhook, Alertmanager), each checked at its key. */
final class AlertsSection {

    private AlertsSection() {}

    static List<AlertSinkConfig> bind(ConfigNode section) {
        List<AlertSinkConfig> sinks = new ArrayList<>();
        if (section.isMissing()) {
            sinks.add(new AlertSinkConfig.Log());
            return sinks;
        }
        for (ConfigNode element : section.elements()) {
            if (!element.requireObject()) {
                continue;
            }
            Optional<String> type = element.requiredString("type");
            if (type.isEmpty()) {
                element.rejectUnknownKeys();
                continue;
            }
            switch (type.get()) {
                case "log" -> sinks.add(new AlertSinkConfig.Log());
                case "jsonl" ->
                    element.absolutePath("path")
                            .ifPresentOrElse(
                                    path -> sinks.add(new AlertSinkConfig.JsonLines(path)),
                                    () -> ConfigLoader.missing(element, "path"));
                case "webhook" -> {
                    Optional<URI> url = httpUrl(element, "url");
                    Duration timeout = element.duration("timeout", Duration.ofSeconds(5));
                    int attempts = element.integer("max-attempts", 3, 1, 10);
                    url.ifPresent(u -> sinks.add(new AlertSinkConfig.Webhook(u, timeout, attempts)));
                }
                case "alertmanager" -> {
                    Optional<URI> url = httpUrl(element, "url");
                    Duration timeout = element.duration("timeout", Duration.ofSeconds(5));
                    int attempts = element.integer("max-attempts", 3, 1, 10);
                    Optional<URI> generator = element.uri("generator-url");
                    url.ifPresent(u -> sinks.add(new AlertSinkConfig.Alertmanager(u, timeout, attempts, generator)));
                }
                default ->
                    element.child("type")
                            .problem("unknown alert sink '" + type.get()
                                    + "' (known: log, jsonl, webhook, alertmanager)");
            }
            element.rejectUnknownKeys();
        }
        return sinks;
    }

    /** A required http:// or https:// URL. */
    private static Optional<URI> httpUrl(ConfigNode element, String key) {
        Optional<URI> url = element.uri(key);
        if (url.isPresent() && !List.of("http", "https").contains(url.get().getScheme())) {
            element.child(key).problem("must be an http:// or https:// URL");
            return Optional.empty();
        }
        if (url.isEmpty()) {
            ConfigLoader.missing(element, key);
        }
        return url;
    }
}
