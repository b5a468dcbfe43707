package dev.vigil.demoapp;

import dev.vigil.cli.config.ConfigException;
import dev.vigil.demo.s3.EmbeddedS3Server;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.quartz.SchedulerException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** {@code vigil demo}: Vigil's main job on embedded defaults, explained as it runs. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        header = "Show Vigil at work on three simulated storage nodes, in about a minute.",
        footerHeading = "%nExamples:%n",
        footer = {"  vigil demo", "  vigil demo --s3 --dir /tmp/vigil-demo", "  vigil demo --fleet"},
        description = {
            "Run Vigil on embedded defaults and explain what it does: three storage nodes replicate a partition"
                    + " under continuous writes, a Vigil daemon runs beside each on an accelerated schedule; the demo"
                    + " plants a lost write, archive damage and bit rot, shows the alerts and key-level verdicts as they"
                    + " arrive, restores a verified point in time and writes a compliance report. Takes about a minute."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the demo ran and Vigil found every injected problem",
            "1:Vigil missed an injected problem",
            "3:the demo could not run"
        })
final class DemoCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            description =
                    "Directory for the demo's node, repository and work files (default: a new temporary directory).")
    Path directory;

    @Option(
            names = "--seed",
            description = "Seed of the simulated workload (default: ${DEFAULT-VALUE}).",
            defaultValue = "7")
    long seed;

    @Option(
            names = "--s3",
            description = {
                "Use an S3 repository on an embedded S3 server (S3Proxy, started in a child",
                "process on 127.0.0.1; the launcher fetches it on first use) instead of a local directory."
            })
    boolean s3;

    @Option(
            names = "--fleet",
            description = {
                "Show the verification fleet: the node agents only archive and scrub, and two workers sharing an",
                "embedded PostgreSQL (started in a child process) replay, judge and run the fleet-wide jobs."
            })
    boolean fleet;

    @Override
    public Integer call() throws IOException, ConfigException, SchedulerException {
        Path dir = directory != null ? Files.createDirectories(directory) : Files.createTempDirectory("vigil-demo-");
        Demo demo = new Demo(spec.commandLine().getOut(), dir, Clock.systemUTC(), seed, fleet);
        if (!s3) {
            Path repository = dir.resolve("repository");
            // Created here, as an operator creates a bucket: the fleet's workers may start before a node agent has
            // archived anything, and a worker never creates a repository (a mistyped URL must not become one).
            Files.createDirectories(repository);
            return demo.run(
                    "  url: " + repository.toUri() + "\n", repository.toUri().toString(), true);
        }
        try (EmbeddedS3Server server = EmbeddedS3Server.start(EmbeddedS3Server.Implementation.S3PROXY)) {
            String bucket = "vigil-demo";
            try (S3Client client = S3Client.builder()
                    .endpointOverride(server.endpoint())
                    .region(Region.of(server.region()))
                    .credentialsProvider(server.credentials())
                    .forcePathStyle(true)
                    .build()) {
                client.createBucket(b -> b.bucket(bucket));
            }
            // The daemons find the credentials where any AWS SDK would (here: system properties); the configuration
            // files the demo writes hold none.
            var credentials = server.credentials().resolveCredentials();
            System.setProperty("aws.accessKeyId", credentials.accessKeyId());
            System.setProperty("aws.secretAccessKey", credentials.secretAccessKey());
            try {
                return demo.run(
                        "  url: s3://" + bucket + "/demo\n  s3:\n    endpoint: " + server.endpoint() + "\n    region: "
                                + server.region() + "\n",
                        "s3://" + bucket + "/demo on the embedded S3 server at " + server.endpoint()
                                + " (S3Proxy; it stops when the demo ends)",
                        false);
            } finally {
                System.clearProperty("aws.accessKeyId");
                System.clearProperty("aws.secretAccessKey");
            }
        } catch (IllegalStateException | UncheckedIOException e) {
            throw new IOException(
                    "the embedded S3 server could not start: " + e.getMessage() + "; run './vigil demo' without"
                            + " --s3 for a local directory repository",
                    e);
        }
    }
}
