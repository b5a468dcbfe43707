package dev.vigil.cli;

import dev.vigil.cli.config.ConfigException;
import dev.vigil.core.PartitionId;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.scrubber.ScrubOutcome;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil scrub}: scrub this node's replicas now and publish the reports. */
@Command(
        name = "scrub",
        mixinStandardHelpOptions = true,
        header = "Scrub this node's replicas now and publish their digests.",
        footerHeading = "%nExample:%n",
        footer = {"  vigil scrub --config /etc/vigil/vigil.yaml --partition p-0001"},
        description = {
            "Scrub this node's replicas now: checkpoint each one, read every item with the storage's checksums"
                    + " verified (at scrub.rate), compute its digest at its applied LSN, and publish the report.",
            "Runs whatever scrub.window says (the window only confines the daemon's schedule)."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every replica scrubbed and published",
            "1:bit rot found",
            "2:usage or configuration error",
            "3:a replica could not be scrubbed"
        })
final class ScrubCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ConfigOption config;

    @Option(names = "--partition", paramLabel = "P", description = "Only this partition's replica.")
    String partition;

    @Option(names = "--json", description = "Print the outcomes as JSON.")
    boolean json;

    @Override
    public Integer call() throws ConfigException, IOException {
        Optional<PartitionId> only = CommandSupport.partition(spec, partition);
        VigilConfig loaded = config.load();
        VigilServices.requireNode(loaded, "vigil scrub");
        try (VigilServices services =
                new VigilServices(loaded, Clock.systemUTC(), VigilServices.Role.SCRUB, "vigil scrub")) {
            List<ScrubOutcome> outcomes = services.scrubber().scrub(only);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                CommandSupport.printJson(out, outcomes);
            } else {
                for (ScrubOutcome outcome : outcomes) {
                    outcome.report()
                            .ifPresent(r -> out.printf(
                                    "scrubbed %s of %s at LSN %d: %,d items, %,d bytes in %d ms," + " digest root %s%n",
                                    r.replica(),
                                    r.partition(),
                                    r.appliedLsn(),
                                    r.items(),
                                    r.bytes(),
                                    r.durationMillis(),
                                    r.digest().root()));
                    outcome.finding().ifPresent(f -> out.printf("FINDING  %s%n", f));
                    outcome.error().ifPresent(e -> out.printf("ERROR    %s%n", e));
                }
            }
            return ExitCodes.of(
                    outcomes.stream().anyMatch(o -> o.finding().isPresent()),
                    outcomes.stream().anyMatch(o -> o.error().isPresent()));
        }
    }
}
