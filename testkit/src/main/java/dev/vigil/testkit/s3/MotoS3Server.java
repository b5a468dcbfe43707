package dev.vigil.testkit.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * moto's stand-alone server ({@code python3 -m moto.server}) in a child process: a third implementation of S3,
 * written in Python from AWS's documentation, with Object Lock. Available where Python has moto installed; tests
 * on it are skipped elsewhere (see {@link #available()}).
 */
final class MotoS3Server implements S3Server {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final URI endpoint;
    private final Path log;

    private MotoS3Server(Process process, URI endpoint, Path log) {
        this.process = process;
        this.endpoint = endpoint;
        this.log = log;
    }

    /** Whether {@code python3 -m moto.server} runs here (asked once per JVM: starting Python costs a second). */
    static boolean available() {
        return Availability.AVAILABLE;
    }

    private static final class Availability {
        static final boolean AVAILABLE = probe();

        private static boolean probe() {
            try {
                Process help = new ProcessBuilder("python3", "-m", "moto.server", "--help")
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
                if (!help.waitFor(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    help.destroyForcibly();
                    return false;
                }
                return help.exitValue() == 0;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    static MotoS3Server start() {
        try {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Path log = Files.createTempFile("vigil-moto-", ".log");
            Process process = new ProcessBuilder(
                            "python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            MotoS3Server server = new MotoS3Server(process, URI.create("http://127.0.0.1:" + port), log);
            server.awaitReady();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start moto's server", e);
        }
    }

    private void awaitReady() throws IOException {
        Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto's server exited with " + process.exitValue()
                        + " during startup; its" + " log " + log + " ends with:\n" + tail());
            }
            try {
                HttpURLConnection connection =
                        (HttpURLConnection) endpoint.toURL().openConnection();
                connection.setConnectTimeout(500);
                connection.setReadTimeout(2000);
                connection.getResponseCode();
                connection.disconnect();
                return;
            } catch (IOException notYet) {
                try {
                    process.waitFor(100, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    close();
                    throw new IllegalStateException("interrupted while starting moto's server", e);
                }
            }
        }
        close();
        throw new IllegalStateException("moto's server did not answer on " + endpoint + " within " + STARTUP_TIMEOUT
                + "; its log ends with:\n" + tail());
    }

    private String tail() throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    @Override
    public S3ServerKind kind() {
        return S3ServerKind.MOTO;
    }

    @Override
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public AwsCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("vigil-test", "vigil-test-secret"));
    }

    @Override
    public String region() {
        return "us-east-1";
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(log);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } catch (IOException ignored) {
            // a log left in the temporary directory
        }
    }

    @Override
    public String toString() {
        return "MOTO at " + endpoint;
    }
}
