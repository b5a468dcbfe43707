package dev.vigil.cli;

import dev.vigil.cli.config.ConfigException;
import dev.vigil.core.PartitionId;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.repository.Verdict;
import dev.vigil.reference.Judge;
import dev.vigil.scrubber.ScrubOutcome;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil verify replicas}: scrub this node's replicas, bring the reference to their LSNs, judge every
 * pending report (this node's and its peers'), and print the verdicts.
 */
@Command(
        name = "replicas",
        mixinStandardHelpOptions = true,
        header = "Scrub and judge this node's replicas against the archive, naming differing keys.",
        footerHeading = "%nExample:%n",
        footer = {"  vigil verify replicas --config /etc/vigil/vigil.yaml --partition p-0001"},
        description = {
            "Scrub this node's replicas, replay the archive into the reference up to their LSNs, judge every"
                    + " pending scrub report (peers' too) against the reference and each other, and print the verdicts,"
                    + " with the differing keys where this machine can reach the replica's retained state."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every verdict clean",
            "1:findings (divergence, bit rot)",
            "2:usage or configuration error",
            "3:could not finish (e.g. the archive does not reach the replicas' LSN yet)"
        })
final class VerifyReplicasCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ConfigOption config;

    @Option(names = "--partition", paramLabel = "P", description = "Only this partition.")
    String partition;

    @Option(names = "--json", description = "Print the verdicts as JSON.")
    boolean json;

    @Override
    public Integer call() throws ConfigException, IOException {
        Optional<PartitionId> only = CommandSupport.partition(spec, partition);
        VigilConfig loaded = config.load();
        VigilServices.requireNode(loaded, "vigil verify replicas");
        try (VigilServices services =
                new VigilServices(loaded, Clock.systemUTC(), VigilServices.Role.WORK_DIR, "vigil verify replicas")) {
            List<ScrubOutcome> scrubs = services.scrubber().scrub(only);
            TreeSet<PartitionId> partitions = new TreeSet<>();
            scrubs.forEach(s -> partitions.add(s.partition()));
            List<Judge.Outcome> outcomes = new ArrayList<>();
            for (PartitionId id : partitions) {
                outcomes.add(services.judge().judge(id));
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Map<String, Object> document = new LinkedHashMap<>();
                document.put("scrubs", scrubs);
                document.put("judgements", outcomes);
                CommandSupport.printJson(out, document);
            } else {
                print(out, scrubs, outcomes);
            }
            boolean findings = scrubs.stream().anyMatch(s -> s.finding().isPresent())
                    || outcomes.stream()
                            .flatMap(o -> o.verdicts().stream())
                            .anyMatch(v -> v.status() != Verdict.Status.CLEAN);
            boolean incomplete = scrubs.stream().anyMatch(s -> s.error().isPresent())
                    || outcomes.stream().anyMatch(o -> o.stoppedAt().isPresent());
            return ExitCodes.of(findings, incomplete);
        }
    }

    private static void print(PrintWriter out, List<ScrubOutcome> scrubs, List<Judge.Outcome> outcomes) {
        for (ScrubOutcome scrub : scrubs) {
            scrub.report()
                    .ifPresent(r -> out.printf(
                            "scrubbed %s of %s at LSN %d (%,d items)%n",
                            r.replica(), r.partition(), r.appliedLsn(), r.items()));
            scrub.finding().ifPresent(f -> out.printf("FINDING  %s%n", f));
            scrub.error().ifPresent(e -> out.printf("ERROR    %s%n", e));
        }
        for (Judge.Outcome outcome : outcomes) {
            for (Verdict v : outcome.verdicts()) {
                out.printf("verdict  %s of %s at LSN %d: %s%n", v.replica(), v.partition(), v.lsn(), v.status());
                if (v.status() != Verdict.Status.CLEAN) {
                    if (v.localised()) {
                        out.printf(
                                "         %d key(s) differ%s%n",
                                v.totalDifferences(),
                                v.totalDifferences() > v.differences().size()
                                        ? " (first " + v.differences().size() + " shown)"
                                        : "");
                        v.differences().forEach(d -> out.printf("           %-20s %s%n", d.kind(), d.key()));
                    } else {
                        out.printf(
                                "         %d digest bucket(s) differ; keys not localised (the replica's state is on"
                                        + " another machine)%n",
                                v.differingBuckets());
                    }
                }
            }
            outcome.stoppedAt().ifPresent(s -> out.printf("PENDING  %s%n", s));
        }
    }
}
