package dev.vigil.core.alert;

import dev.vigil.core.repository.RepositoryJson;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/**
 * POSTs each notification as a JSON object ({@link Alert#toMap()}: {@code status} firing or resolved, {@code
 * startsAt}, and {@code endsAt} once resolved) to a URL. A response other than 2xx, a timeout or a connection failure
 * is retried up to {@code maxAttempts} times with a doubling pause; then {@link #publish} throws, naming the URL
 * (masked) and the last answer.
 */
public final class WebhookAlertSink implements AlertSink {

    private final HttpPoster poster;

    public WebhookAlertSink(URI url, Duration timeout, int maxAttempts, Duration firstPause) {
        this.poster = new HttpPoster(url, timeout, maxAttempts, firstPause, "vigil-webhook-");
    }

    @Override
    public void publish(Alert alert) throws IOException {
        poster.post(RepositoryJson.MAPPER.writeValueAsBytes(alert.toMap()), "the alert");
    }

    @Override
    public String describe() {
        return "webhook " + poster.shown();
    }

    @Override
    public void close() {
        poster.close();
    }
}
