package dev.vigil.demo.s3;

import dev.vigil.core.io.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * S3Mock or S3Proxy running in a child JVM started from its published standalone jar, so that neither
 * server's dependencies (Spring Boot, jclouds, Jetty) reach Vigil's class path: what {@code vigil demo --s3} archives
 * to, and what tests and benchmarks run against. The build (or the {@code vigil} launcher, on first use) copies the
 * jars to the directory named by the system property {@value #SERVERS_PROPERTY}. Closing it stops the child and
 * removes its files.
 */
public final class EmbeddedS3Server implements AutoCloseable {

    /** The two servers that run from a standalone jar. */
    public enum Implementation {
        /** Adobe S3Mock: stores checksums, full multipart, no authentication. */
        S3MOCK,
        /** S3Proxy: verifies SigV4; in memory, or on disk for data larger than a small heap. */
        S3PROXY
    }

    public static final String SERVERS_PROPERTY = "vigil.test.s3servers";
    private static final String ACCESS_KEY = "vigil-test";
    private static final String SECRET_KEY = "vigil-test-secret";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

    private final Implementation kind;
    private final Process process;
    private final URI endpoint;
    private final Path workDirectory;

    private EmbeddedS3Server(Implementation kind, Process process, URI endpoint, Path workDirectory) {
        this.kind = kind;
        this.process = process;
        this.endpoint = endpoint;
        this.workDirectory = workDirectory;
    }

    /** Starts {@code kind} (S3Proxy in memory) on a free loopback port and waits until it answers. */
    public static EmbeddedS3Server start(Implementation kind) {
        return start(kind, false);
    }

    /** {@code onDisk}: S3Proxy keeps objects in files (its filesystem backend) instead of in the child's heap. */
    public static EmbeddedS3Server start(Implementation kind, boolean onDisk) {
        Path servers = Path.of(System.getProperty(SERVERS_PROPERTY, "target/s3-servers"));
        String jarName = switch (kind) {
            case S3MOCK -> "s3mock.jar";
            case S3PROXY -> "s3proxy.jar";
        };
        Path jar = servers.resolve(jarName);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: run the tests through Maven (the"
                    + " build copies the S3 server jars there) or set -D" + SERVERS_PROPERTY + " to a directory"
                    + " holding " + jarName);
        }
        try {
            int port = ServerStartup.freePort();
            Path work = Files.createTempDirectory(
                    servers.toAbsolutePath().getParent() == null
                            ? Path.of(System.getProperty("java.io.tmpdir"))
                            : servers.toAbsolutePath(),
                    kind.name().toLowerCase(Locale.ROOT) + "-");
            URI endpoint = URI.create("http://127.0.0.1:" + port);
            List<String> command = new ArrayList<>(
                    List.of(javaExecutable(), "-Xmx384m", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + work));
            switch (kind) {
                case S3MOCK ->
                    command.addAll(List.of(
                            "-jar",
                            jar.toString(),
                            "--server.port=0",
                            "--http.port=" + port,
                            "--com.adobe.testing.s3mock.store.root=" + work.resolve("store"),
                            "--com.adobe.testing.s3mock.store.retain-files-on-exit=false",
                            "--com.adobe.testing.s3mock.max-payload-size=256MB",
                            "--spring.main.banner-mode=off",
                            "--logging.level.root=WARN"));
                case S3PROXY -> {
                    Files.createDirectories(work.resolve("store"));
                    Path properties = work.resolve("s3proxy.conf");
                    Files.writeString(
                            properties,
                            String.join(
                                    "\n",
                                    "s3proxy.endpoint=" + endpoint,
                                    "s3proxy.authorization=aws-v2-or-v4",
                                    "s3proxy.identity=" + ACCESS_KEY,
                                    "s3proxy.credential=" + SECRET_KEY,
                                    "s3proxy.ignore-unknown-headers=true",
                                    onDisk ? "jclouds.provider=filesystem-nio2" : "jclouds.provider=transient-nio2",
                                    "jclouds.filesystem.basedir=" + work.resolve("store"),
                                    "jclouds.identity=" + ACCESS_KEY,
                                    "jclouds.credential=" + SECRET_KEY,
                                    ""),
                            StandardCharsets.UTF_8);
                    command.addAll(List.of("-jar", jar.toString(), "--properties", properties.toString()));
                }
            }
            Path log = work.resolve("server.log");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            EmbeddedS3Server server = new EmbeddedS3Server(kind, process, endpoint, work);
            ServerStartup.awaitAnswer(kind.toString(), process, endpoint, log, STARTUP_TIMEOUT, server::close);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + kind, e);
        }
    }

    private static String javaExecutable() {
        return ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    public Implementation implementation() {
        return kind;
    }

    public URI endpoint() {
        return endpoint;
    }

    public AwsCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }

    public String region() {
        return "us-east-1";
    }

    @Override
    public void close() {
        ServerStartup.stop(process);
        deleteRecursively(workDirectory);
    }

    private static void deleteRecursively(Path directory) {
        try {
            DurableFiles.deleteRecursively(directory);
        } catch (IOException ignored) {
            // Leftovers live under target/ and go with mvn clean.
        }
    }

    @Override
    public String toString() {
        return kind + " at " + endpoint;
    }
}
