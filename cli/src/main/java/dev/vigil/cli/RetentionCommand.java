package dev.vigil.cli;

import dev.vigil.cli.config.ConfigException;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.restore.Retention;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil retention}: expire what no restore inside the window needs. */
@Command(
        name = "retention",
        mixinStandardHelpOptions = true,
        header = "Delete archived data that no restore inside the retention window needs.",
        footerHeading = "%nExample:%n",
        footer = {"  vigil retention --config /etc/vigil/vigil.yaml --dry-run"},
        description = {
            "Delete archived segments and snapshots that no restore inside retention.window needs (keeping at"
                    + " least retention.keep-snapshots snapshots per partition), and uncommitted snapshot leftovers."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done (objects whose Object Lock has not expired are kept and listed as LOCKED)",
            "1:some deletes were refused (permissions), or the repository holds no archived partition",
            "2:usage or configuration error",
            "3:the repository does not exist or could not be read"
        })
final class RetentionCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ConfigOption config;

    @Option(names = "--dry-run", description = "Only print what would be deleted.")
    boolean dryRun;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    /** ", kept N locked (until the earliest..the latest date)" when objects due to expire are still locked. */
    static String keptLocked(List<Retention.Locked> locked) {
        if (locked.isEmpty()) {
            return "";
        }
        Instant first = locked.stream()
                .map(Retention.Locked::until)
                .min(Instant::compareTo)
                .orElseThrow();
        Instant last = locked.stream()
                .map(Retention.Locked::until)
                .max(Instant::compareTo)
                .orElseThrow();
        return ", kept " + locked.size() + " locked (until " + (first.equals(last) ? first : first + ".." + last) + ")";
    }

    @Override
    public Integer call() throws ConfigException, IOException {
        VigilConfig loaded = config.load();
        PrintWriter out = spec.commandLine().getOut();
        try (VigilServices services = new VigilServices(loaded, Clock.systemUTC())) {
            List<Retention.PartitionOutcome> outcomes = services.retention().run(dryRun);
            if (outcomes.isEmpty()) {
                // An empty repository is not "retention applied": it is most likely the wrong URL.
                spec.commandLine()
                        .getErr()
                        .println("vigil retention: nothing to apply retention to: "
                                + services.store().describe() + " holds no archived partition; check repository.url");
                return ExitCodes.FINDINGS;
            }
            if (json) {
                CommandSupport.printJson(out, outcomes);
            } else {
                String verb = dryRun ? "would expire" : "expired";
                for (Retention.PartitionOutcome o : outcomes) {
                    out.printf(
                            "%-20s %s %d segment(s) (%.1f MB), %d snapshot(s), %d leftover object(s)%s; restorable %s%s%n",
                            o.partition(),
                            verb,
                            o.expiredSegments().size(),
                            o.expiredBytes() / 1e6,
                            o.expiredSnapshots().size(),
                            o.leftovers().size(),
                            keptLocked(o.locked()),
                            o.restorable()
                                    .map(r -> "LSNs " + r.oldestLsn() + ".." + r.newestLsn())
                                    .orElse("NOTHING"),
                            o.baseSnapshot()
                                    .map(b -> " (window rests on the snapshot at LSN " + b + ")")
                                    .orElse(""));
                    o.refused().forEach(r -> out.println("    REFUSED " + r));
                    o.locked().forEach(r -> out.println("    LOCKED  " + r));
                }
            }
            return ExitCodes.of(outcomes.stream().anyMatch(o -> !o.refused().isEmpty()), false);
        }
    }
}
