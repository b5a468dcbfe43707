package dev.vigil.core.alert;

import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.repository.RepositoryJson;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Sends notifications to a Prometheus Alertmanager through its v2 API ({@code POST /api/v2/alerts}), as Prometheus
 * itself does: labels identify the alert ({@code alertname} is the Vigil alert type, with {@code severity},
 * {@code partition}, {@code replica}, {@code incident} (its key) and {@code instance}), annotations carry the words
 * ({@code summary}, {@code action} and the details), and {@code startsAt} is when the incident began. Alertmanager
 * ends an alert at its {@code endsAt}, so a firing condition is sent with {@code endsAt} a few refresh intervals ahead
 * and sent again at every {@link #refresh} while it lasts (a Vigil that dies leaves its alerts to expire, as a dead
 * Prometheus does); a resolved one with its real end; an event (which nothing resolves) with {@code endsAt} one repeat
 * interval after it. Grouping, inhibition, silences and routing are Alertmanager's. Thread safe.
 */
public final class AlertmanagerAlertSink implements AlertSink {

    /** How many refresh intervals a firing condition's {@code endsAt} lies ahead (Prometheus uses four). */
    static final int ENDS_AFTER_REFRESHES = 4;

    private final HttpPoster poster;
    private final String instance;
    private final Optional<URI> generatorUrl;
    private final Duration refreshInterval;
    private final Duration eventDuration;
    private final Clock clock;

    /**
     * @param url             Alertmanager's base URL ({@code http://alertmanager:9093}); {@code /api/v2/alerts} is added
     * @param instance        the {@code instance} label: which Vigil process raised it
     * @param generatorUrl    where an operator learns more (sent as Alertmanager's generator URL), if anywhere
     * @param refreshInterval how often the dispatcher refreshes open incidents
     * @param eventDuration   how long an event stays firing in Alertmanager (the dispatcher's repeat interval)
     */
    public AlertmanagerAlertSink(
            URI url,
            Duration timeout,
            int maxAttempts,
            Duration firstPause,
            String instance,
            Optional<URI> generatorUrl,
            Duration refreshInterval,
            Duration eventDuration,
            Clock clock) {
        this.poster = new HttpPoster(alertsEndpoint(url), timeout, maxAttempts, firstPause, "vigil-alertmanager-");
        this.instance = instance;
        this.generatorUrl = generatorUrl;
        this.refreshInterval = refreshInterval;
        this.eventDuration = eventDuration;
        this.clock = clock;
    }

    /** {@code base} with {@code /api/v2/alerts} appended to its path. */
    static URI alertsEndpoint(URI base) {
        String text = base.toString();
        return URI.create((text.endsWith("/") ? text.substring(0, text.length() - 1) : text) + "/api/v2/alerts");
    }

    @Override
    public void publish(Alert alert) throws IOException {
        post(List.of(alert), "the alert " + alert.type());
    }

    @Override
    public void refresh(List<Alert> open) throws IOException {
        post(open, open.size() + " open alert(s)");
    }

    private void post(List<Alert> alerts, String what) throws IOException {
        Instant now = clock.instant();
        List<Map<String, Object>> body = new ArrayList<>();
        for (Alert alert : alerts) {
            body.add(document(alert, now));
        }
        poster.post(RepositoryJson.MAPPER.writeValueAsBytes(body), what);
    }

    /** One alert as Alertmanager's v2 API takes it. */
    Map<String, Object> document(Alert alert, Instant now) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", alert.type().name());
        labels.put("severity", alert.severity().name().toLowerCase(Locale.ROOT));
        alert.partition().map(PartitionId::value).ifPresent(p -> labels.put("partition", p));
        alert.replica().map(ReplicaId::value).ifPresent(r -> labels.put("replica", r));
        labels.put("incident", alert.key());
        labels.put("instance", instance);
        labels.put("source", "vigil");
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("summary", alert.message());
        annotations.put("action", alert.action());
        alert.lsnRange().ifPresent(r -> annotations.put("lsns", r.toString()));
        alert.details().forEach((name, value) -> annotations.putIfAbsent(name, value));
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("labels", labels);
        document.put("annotations", annotations);
        document.put("startsAt", alert.startsAt().toString());
        document.put("endsAt", endsAt(alert, now).toString());
        generatorUrl.ifPresent(url -> document.put("generatorURL", url.toString()));
        return document;
    }

    private Instant endsAt(Alert alert, Instant now) {
        if (alert.status() == AlertStatus.RESOLVED) {
            return alert.time();
        }
        if (!alert.type().isCondition()) {
            return alert.time().plus(eventDuration);
        }
        return now.plus(refreshInterval.multipliedBy(ENDS_AFTER_REFRESHES));
    }

    @Override
    public String describe() {
        return "alertmanager " + poster.shown();
    }

    @Override
    public void close() {
        poster.close();
    }
}
