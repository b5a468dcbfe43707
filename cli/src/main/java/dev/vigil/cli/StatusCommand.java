package dev.vigil.cli;

import dev.vigil.core.PartitionId;
import dev.vigil.core.config.ConfigException;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.repository.RepositoryPartitions;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil status}: what the repository says about every partition, and what needs attention. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Per partition: archived LSNs and gaps, time since the last archived segment, the last snapshot,",
                "the restorable LSNs, the last scrub and verdict per replica, the last restore drill, and what needs",
                "attention."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:nothing needs attention", "1:something does (ATTENTION lines)", "2:configuration error",
                "3:the repository could not be read"})
final class StatusCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ConfigOption config;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws ConfigException, IOException {
        VigilConfig loaded = config.load();
        PrintWriter out = spec.commandLine().getOut();
        Clock clock = Clock.systemUTC();
        try (VigilServices services = new VigilServices(loaded, clock)) {
            List<PartitionStatus> partitions = new ArrayList<>();
            for (PartitionId partition : RepositoryPartitions.withArchive(services.store())) {
                partitions.add(PartitionStatus.of(services.store(), services.snapshots(), loaded, partition, clock.instant()));
            }
            boolean attention = partitions.stream().anyMatch(p -> !p.attention().isEmpty());
            if (json) {
                Map<String, Object> document = new LinkedHashMap<>();
                document.put("repository", services.store().describe());
                document.put("attention", attention);
                document.put("partitions", partitions);
                CommandSupport.printJson(out, document);
            } else {
                print(out, services.store().describe(), partitions);
            }
            return ExitCodes.of(attention, false);
        }
    }

    private static void print(PrintWriter out, String repository, List<PartitionStatus> partitions) {
        out.println("repository " + repository);
        if (partitions.isEmpty()) {
            out.println("no archived partitions yet");
        }
        for (PartitionStatus p : partitions) {
            out.printf("%n%s  archived LSNs %d..%d (last segment %d s ago)  last snapshot %s  restorable %s%n",
                    p.partition(), p.archivedFrom(), p.archivedTo(), p.secondsSinceLastArchived(),
                    p.lastSnapshotLsn().map(l -> "LSN " + l).orElse("none"),
                    p.restorable().map(r -> "LSNs " + r.oldestLsn() + ".." + r.newestLsn()).orElse("NOTHING"));
            for (PartitionStatus.ReplicaStatus r : p.replicas()) {
                out.printf("    replica %-12s last scrub at LSN %d, last verdict %s%n", r.replica(), r.lastScrubLsn(),
                        r.lastVerdict().map(v -> v.status() + " at LSN " + v.lsn() + " (" + v.judgedAt() + ")")
                                .orElse("none yet"));
            }
            out.println("    last restore drill: " + p.lastDrill().map(d -> (d.passed() ? "passed" : "FAILED") + " at LSN "
                    + d.lsn() + " (" + d.time() + ")").orElse("none yet"));
            p.attention().forEach(a -> out.println("    ATTENTION " + a));
            if (p.attention().isEmpty()) {
                out.println("    ok");
            }
        }
    }
}
