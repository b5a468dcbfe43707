package dev.vigil.testkit.s3;

import dev.vigil.demo.s3.ServerStartup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * moto's stand-alone server ({@code python3 -m moto.server}) in a child process: a third implementation of S3,
 * written in Python from AWS's documentation, with Object Lock. Available where Python has moto installed; tests
 * on it are skipped elsewhere (see {@link #available()}).
 */
public final class MotoS3Server implements S3Server {

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
    public static boolean available() {
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

    /**
     * Starts moto's server for a test that needs it (KMS, server-side encryption): in CI ({@code CI} set) its absence
     * fails the test, since {@code .ci/run} installs it; elsewhere the test is skipped, saying how to install it.
     */
    public static MotoS3Server startRequired() {
        if (!available()) {
            String message = "moto's server is not installed (pip install 'moto[server]')";
            if (System.getenv("CI") != null) {
                org.junit.jupiter.api.Assertions.fail(message + ": in CI .ci/run installs it");
            }
            org.junit.jupiter.api.Assumptions.abort(message + ": skipped on this machine (it runs in CI)");
        }
        return start();
    }

    public static MotoS3Server start() {
        try {
            int port = ServerStartup.freePort();
            Path log = Files.createTempFile("vigil-moto-", ".log");
            Process process = new ProcessBuilder(
                            "python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            MotoS3Server server = new MotoS3Server(process, URI.create("http://127.0.0.1:" + port), log);
            ServerStartup.awaitAnswer("moto's server", process, server.endpoint, log, STARTUP_TIMEOUT, server::close);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start moto's server", e);
        }
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
        ServerStartup.stop(process);
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a log left in the temporary directory
        }
    }

    @Override
    public String toString() {
        return "MOTO at " + endpoint;
    }
}
