package dev.vigil.demoapp;

import dev.vigil.cli.ExitCodes;
import dev.vigil.demo.node.ReplicationGroup;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil demo-node}: a simulated storage node for trying Vigil out (docker-compose uses it): a replication
 * group of RocksDB replicas writing real WAL under {@code --dir}, one root per replica, until stopped.
 */
@Command(
        name = "demo-node",
        mixinStandardHelpOptions = true,
        header = "Run a simulated storage node that writes WAL for Vigil to archive.",
        footerHeading = "%nExample:%n",
        footer = {"  vigil demo-node --dir /var/lib/demo-node --replicas a,b,c"},
        description = {
            "Run a simulated storage node for trying Vigil out: one partition replicated on several RocksDB"
                    + " replicas, each logging to its own WAL in Vigil's segment format under DIR/<replica>, written"
                    + " continuously until SIGTERM. Point a Vigil daemon's node.roots at DIR/<replica>."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "143:stopped by SIGTERM (open segments sealed, databases closed first)",
            "2:usage error",
            "3:the node could not write"
        })
final class DemoNodeCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Where the replicas live (created).")
    Path directory;

    @Option(
            names = "--partition",
            defaultValue = Demo.PARTITION,
            description = "Partition id (default: ${DEFAULT-VALUE}).")
    String partition;

    @Option(
            names = "--replicas",
            split = ",",
            defaultValue = "node-a,node-b,node-c",
            description = "Replica ids, comma separated (default: ${DEFAULT-VALUE}).")
    List<String> replicas;

    @Option(
            names = "--batch",
            defaultValue = "50",
            description = "Mutations written every 100 ms (default: ${DEFAULT-VALUE}, about 500 per second).")
    int batch;

    @Option(names = "--seed", defaultValue = "7", description = "Seed of the workload (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (batch < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--batch must be at least 1, was " + batch);
        }
        PrintWriter out = spec.commandLine().getOut();
        Files.createDirectories(directory);
        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        try (ReplicationGroup group = ReplicationGroup.builder(directory, Clock.systemUTC())
                        .partition(partition)
                        .replicas(replicas.toArray(String[]::new))
                        .recordsPerSegment(1_000)
                        .keySpace(50_000_000)
                        .seed(seed)
                        .clock(Clock.systemUTC())
                        .build();
                DemoWorkload workload = new DemoWorkload(group, batch, Clock.systemUTC())) {
            // On SIGTERM: stop writing, and hold the JVM until the open segments are sealed and the databases closed.
            Thread hook = Thread.ofPlatform().name("vigil-demo-node-stop").unstarted(() -> {
                stopped.countDown();
                try {
                    closed.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Runtime.getRuntime().addShutdownHook(hook);
            workload.start();
            out.printf(
                    "demo storage node: partition %s on replicas %s under %s, %d writes every %d ms; stop with SIGTERM%n",
                    partition, replicas, directory, batch, DemoWorkload.TICK.toMillis());
            out.flush();
            stopped.await();
            out.printf("stopped at LSN %d%n", workload.stop());
        } finally {
            closed.countDown();
        }
        return ExitCodes.OK;
    }
}
