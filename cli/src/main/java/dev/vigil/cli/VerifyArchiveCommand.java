package dev.vigil.cli;

import dev.vigil.cli.config.ConfigException;
import dev.vigil.core.PartitionId;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.scrubber.PartitionVerification;
import dev.vigil.scrubber.VerifyReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil verify archive}: re-read archived segments and prove they are intact and continuous. */
@Command(
        name = "archive",
        mixinStandardHelpOptions = true,
        header = "Re-read archived WAL segments that are due and check the archive for gaps.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  vigil verify archive --config /etc/vigil/vigil.yaml",
            "  vigil verify archive --config /etc/vigil/vigil.yaml --sample 10%%"
        },
        description = {
            "Re-read archived WAL segments: every object due (not verified within verify.period) is re-hashed"
                    + " and validated record by record, the archive is checked for gaps, and copies still on this node are"
                    + " compared. Progress is kept in the repository, so a run continues where the last stopped."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:clean",
            "1:findings (corrupt object, gap, copy differing from the node's), or nothing to verify"
                    + " (an empty or mistyped repository is not a clean one)",
            "2:usage or configuration error",
            "3:the run could not finish"
        })
final class VerifyArchiveCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ConfigOption config;

    @Option(
            names = "--partition",
            paramLabel = "P",
            description = "Only this partition (default: every partition in the repository).")
    String partition;

    @Option(
            names = "--sample",
            paramLabel = "N%",
            description = "Read a random N%% of all objects, whether due or not (a cheap spot check), e.g. 10%%.")
    String sample;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Override
    public Integer call() throws ConfigException, IOException {
        Optional<PartitionId> only = CommandSupport.partition(spec, partition);
        OptionalDouble fraction = parseSample();
        VigilConfig loaded = config.load();
        PrintWriter out = spec.commandLine().getOut();
        Clock clock = Clock.systemUTC();
        try (VigilServices services = new VigilServices(loaded, clock);
                ConsoleProgress progress = ConsoleProgress.forCommand(out, json, clock)) {
            VerifyReport report = services.archiveVerifier()
                    .verify(
                            only,
                            fraction,
                            (partition, done, total, bytes) -> progress.advance(
                                    "verify " + partition,
                                    "objects",
                                    done,
                                    total,
                                    String.format(Locale.ROOT, "%.1f MB read", bytes / 1e6),
                                    String.format(
                                            Locale.ROOT,
                                            "partition %s: %d of %d objects read (%.1f MB)",
                                            partition,
                                            done,
                                            total,
                                            bytes / 1e6)));
            progress.finish();
            if (json) {
                CommandSupport.printJson(out, report);
            } else {
                print(out, report);
            }
            if (report.nothingToVerify()) {
                spec.commandLine()
                        .getErr()
                        .println("vigil verify archive: nothing to verify: "
                                + services.store().describe()
                                + " holds no archived segment"
                                + only.map(p -> " of partition " + p).orElse("")
                                + "; check repository.url" + (only.isPresent() ? " and --partition" : "")
                                + " (an empty repository proves nothing)");
                return ExitCodes.FINDINGS;
            }
            return ExitCodes.of(report.hasFindings(), report.hasErrors());
        }
    }

    private OptionalDouble parseSample() {
        if (sample == null) {
            return OptionalDouble.empty();
        }
        String text = sample.endsWith("%") ? sample.substring(0, sample.length() - 1) : sample;
        try {
            double percent = Double.parseDouble(text);
            if (percent > 0 && percent <= 100) {
                return OptionalDouble.of(percent / 100);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "--sample: expected a percentage in (0, 100], such as" + " 10%, found '" + sample + "'");
    }

    private static void print(PrintWriter out, VerifyReport report) {
        out.printf(
                "archive verification started %s, took %d ms, %,d bytes re-read%n",
                report.started(), report.millis(), report.bytesVerified());
        for (PartitionVerification p : report.partitions()) {
            out.printf(
                    "partition %s: %d objects, %d verified now, %d verified recently (not due), %d corrupt%s%n",
                    p.partition(),
                    p.objects(),
                    p.verified(),
                    p.notDue(),
                    p.corrupt(),
                    (p.storedOnly() == 0
                                    ? ""
                                    : ", " + p.storedOnly() + " encrypted and not decrypted here (stored bytes"
                                            + " re-hashed intact; records checked where the keyring is configured)")
                            + (p.gaps().isEmpty() ? "" : ", gaps " + p.gaps()));
            p.findings().forEach(f -> out.printf("  FINDING  %s%n", f));
            p.errors().forEach(e -> out.printf("  ERROR    %s%n", e));
        }
        report.errors().forEach(e -> out.printf("ERROR %s%n", e));
        out.printf(
                "result: %s%n",
                report.hasFindings()
                        ? "findings: see the alerts for what to do"
                        : report.hasErrors()
                                ? "incomplete: the next run continues where this one stopped"
                                : report.nothingToVerify() ? "NOTHING TO VERIFY" : "ok");
    }
}
