package dev.vigil.core.alert;

import dev.vigil.core.repository.RepositoryJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * POSTs each alert as a JSON object ({@link Alert#toMap()}) to a URL. A response other than 2xx, a timeout
 * or a connection failure is retried up to {@code maxAttempts} times with a doubling pause; then
 * {@link #publish} throws, naming the URL and the last answer.
 */
public final class WebhookAlertSink implements AlertSink {

    private final URI url;
    private final Duration timeout;
    private final int maxAttempts;
    private final Duration firstPause;
    private final HttpClient client;

    public WebhookAlertSink(URI url, Duration timeout, int maxAttempts, Duration firstPause) {
        this.url = url;
        this.timeout = timeout;
        this.maxAttempts = maxAttempts;
        this.firstPause = firstPause;
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .executor(Executors.newSingleThreadExecutor(
                        Thread.ofPlatform().name("vigil-webhook-", 0).daemon().factory()))
                .build();
    }

    @Override
    public void publish(Alert alert) throws IOException {
        byte[] body = RepositoryJson.MAPPER.writeValueAsBytes(alert.toMap());
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "vigil")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        String last = "no attempt";
        Duration pause = firstPause;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            try {
                HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() / 100 == 2) {
                    return;
                }
                last = "HTTP " + response.statusCode();
            } catch (IOException e) {
                last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while posting an alert to " + url, e);
            }
            if (attempt < maxAttempts) {
                sleep(pause);
                pause = pause.multipliedBy(2);
            }
        }
        throw new IOException(
                "webhook " + url + " did not accept the alert after " + maxAttempts + " attempts (last: " + last + ")");
    }

    private static void sleep(Duration pause) throws IOException {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting to retry an alert", e);
        }
    }

    @Override
    public String describe() {
        return "webhook " + url;
    }

    @Override
    public void close() {
        client.close();
    }
}
