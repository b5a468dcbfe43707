package dev.vigil.cli;

import dev.vigil.cli.config.ConfigException;
import dev.vigil.core.PartitionId;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.repository.DrillRecord;
import dev.vigil.core.repository.RepositoryLayout;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil drill}: a restore drill now, recorded in the repository like the scheduled ones. */
@Command(
        name = "drill",
        mixinStandardHelpOptions = true,
        header = "Run a restore drill now and record it like the scheduled ones.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  vigil drill --config /etc/vigil/vigil.yaml",
            "  vigil drill --config /etc/vigil/vigil.yaml --partition p-0001"
        },
        description = {
            "Run a restore drill now: restore a partition to a random LSN of its restorable window in work-dir,"
                    + " verify it against the reference digest, and record the outcome in the repository like the daemon's"
                    + " scheduled drills, so that reports count it. Without --partition, every archived partition is"
                    + " drilled."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every drill passed (and was recorded)",
            "1:a drill failed (recorded, RESTORE_DRILL_FAILED raised)",
            "2:usage or configuration error, or nothing archived to drill",
            "3:the repository could not be read or written"
        })
final class DrillCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ConfigOption config;

    @Option(names = "--partition", paramLabel = "P", description = "Drill this partition only.")
    String partition;

    @Option(names = "--json", description = "Print the drill records as JSON.")
    boolean json;

    @Override
    public Integer call() throws ConfigException, IOException {
        Optional<PartitionId> only = CommandSupport.partition(spec, partition);
        VigilConfig loaded = config.load();
        PrintWriter out = spec.commandLine().getOut();
        try (VigilServices services =
                new VigilServices(loaded, Clock.systemUTC(), VigilServices.Role.WORK_DIR, "vigil drill")) {
            List<PartitionId> partitions = new ArrayList<>(services.repository().partitionsWithArchive());
            if (only.isPresent()) {
                if (!partitions.contains(only.get())) {
                    spec.commandLine()
                            .getErr()
                            .println("vigil drill: partition " + only.get() + " has nothing archived in "
                                    + services.store().describe() + "; nothing to drill");
                    return ExitCodes.USAGE;
                }
                partitions = List.of(only.get());
            }
            if (partitions.isEmpty()) {
                spec.commandLine()
                        .getErr()
                        .println("vigil drill: nothing is archived in "
                                + services.store().describe() + "; nothing to drill (check repository.url)");
                return ExitCodes.USAGE;
            }
            List<DrillRecord> records = new ArrayList<>();
            for (PartitionId id : partitions) {
                DrillRecord record = services.restoreDrill().run(id);
                records.add(record);
                if (!json) {
                    out.printf(
                            "%s  partition %s at LSN %d in %.1f s%s%n",
                            record.passed() ? "PASSED" : "FAILED",
                            record.partition(),
                            record.lsn(),
                            record.durationMillis() / 1000.0,
                            record.passed()
                                    ? ": " + record.items() + " items, digest " + record.digestRoot()
                                            + " matches the reference"
                                    : ": " + record.error());
                }
            }
            if (json) {
                CommandSupport.printJson(out, records);
            } else {
                out.println("recorded under "
                        + String.join(
                                ", ",
                                partitions.stream()
                                        .map(RepositoryLayout::drillsPrefix)
                                        .toList())
                        + " in " + services.store().describe());
            }
            return records.stream().allMatch(DrillRecord::passed) ? ExitCodes.OK : ExitCodes.FINDINGS;
        }
    }
}
