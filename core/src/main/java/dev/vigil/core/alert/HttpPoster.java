package dev.vigil.core.alert;

import dev.vigil.core.Urls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * POSTs JSON to one URL with bounded retries: a response other than 2xx, a timeout or a connection failure is retried
 * up to {@code maxAttempts} times with a doubling pause, then {@link #post} throws, naming the URL (masked: see
 * {@link Urls#forDisplay}) and the last answer. Shared by the HTTP alert sinks. Thread safe.
 */
final class HttpPoster implements AutoCloseable {

    private final URI url;
    private final String shown;
    private final Duration timeout;
    private final int maxAttempts;
    private final Duration firstPause;
    private final HttpClient client;

    /** {@code threadName}: the client's one thread, e.g. {@code vigil-webhook-}. */
    HttpPoster(URI url, Duration timeout, int maxAttempts, Duration firstPause, String threadName) {
        this.url = url;
        this.shown = Urls.forDisplay(url);
        this.timeout = timeout;
        this.maxAttempts = maxAttempts;
        this.firstPause = firstPause;
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .executor(Executors.newSingleThreadExecutor(
                        Thread.ofPlatform().name(threadName, 0).daemon().factory()))
                .build();
    }

    /** The URL as it may be printed. */
    String shown() {
        return shown;
    }

    /** POSTs {@code body} ({@code what} names it in the error: "the alert"). */
    void post(byte[] body, String what) throws IOException {
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
                // The JDK's messages name the host and port at most, never the path or query.
                last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while posting " + what + " to " + shown, e);
            }
            if (attempt < maxAttempts) {
                sleep(pause);
                pause = pause.multipliedBy(2);
            }
        }
        throw new IOException(
                shown + " did not accept " + what + " after " + maxAttempts + " attempts (last: " + last + ")");
    }

    private static void sleep(Duration pause) throws IOException {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting to retry an alert", e);
        }
    }

    /** Abandons what is still in flight (a process stopping within its timeout cannot wait out a hanging receiver). */
    @Override
    public void close() {
        client.shutdownNow();
    }
}
