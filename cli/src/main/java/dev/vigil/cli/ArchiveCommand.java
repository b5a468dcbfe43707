package dev.vigil.cli;

import dev.vigil.archiver.ArchiveReport;
import dev.vigil.archiver.PartitionReport;
import dev.vigil.cli.config.ConfigException;
import dev.vigil.core.config.VigilConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil archive}: one archive pass over this node's partitions, then exit. */
@Command(
        name = "archive",
        mixinStandardHelpOptions = true,
        header = "Archive this node's sealed WAL segments once and report what was stored.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  vigil archive --config /etc/vigil/vigil.yaml",
            "  vigil archive --config /etc/vigil/vigil.yaml --json"
        },
        description = {
            "Archive this node's sealed WAL segments once and report: every segment is validated, stored only if"
                    + " absent, and confirmed; archived.lsn is updated; gaps, divergence and lag are checked."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:everything pending was archived",
            "1:findings (corrupt segment, divergence, lost gap, lag)",
            "2:usage or configuration error",
            "3:the pass could not finish (repository unreachable, whatever lag that causes; uploads failed)",
            "130:stopped by Ctrl-C (143: by SIGTERM); what was confirmed stays archived, the next pass does the rest"
        })
final class ArchiveCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ConfigOption config;

    @Option(
            names = "--once",
            description = "One pass, then exit (what this command always does; the daemon archives continuously).")
    boolean once;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Override
    public Integer call() throws ConfigException, IOException, InterruptedException {
        VigilConfig loaded = config.load();
        VigilServices.requireNode(loaded, "vigil archive");
        Thread command = Thread.currentThread();
        try (StopSignals signals = new StopSignals("vigil-archive-stop", command::interrupt);
                VigilServices services =
                        new VigilServices(loaded, Clock.systemUTC(), VigilServices.Role.NODE_AGENT, "vigil archive")) {
            services.requireObjectLockIfConfigured();
            services.requireStoreGuarantees();
            ArchiveReport report;
            try {
                report = services.archiver().runPass();
            } catch (InterruptedException e) {
                services.archiver().shutdown(Duration.ZERO); // interrupts the uploads under way; they leave nothing
                spec.commandLine()
                        .getErr()
                        .println("vigil archive: stopped by " + signals.received() + " before the pass"
                                + " finished. Segments confirmed before the stop stay archived; the uploads under way were"
                                + " interrupted, which leaves no object and no temporary file behind; nothing else was written (archived.lsn is"
                                + " unchanged). The next pass, or the daemon, archives the rest.");
                return ExitCodes.stoppedBy(signals.received());
            }
            PrintWriter out = spec.commandLine().getOut();
            if (report.storeUnreachable()) {
                // First, because it is the news: the lag it causes is a consequence.
                spec.commandLine()
                        .getErr()
                        .println(
                                "vigil archive: the repository could not be reached, nothing was archived in this pass ("
                                        + report.unreachableStore()
                                        + "); the node keeps its WAL, and the next pass or the"
                                        + " daemon archives it once the repository answers");
            }
            if (json) {
                CommandSupport.printJson(out, report);
            } else {
                print(out, report);
            }
            return report.storeUnreachable()
                    ? ExitCodes.FAILURE
                    : ExitCodes.of(report.hasFindings(), report.hasErrors());
        }
    }

    private static void print(PrintWriter out, ArchiveReport report) {
        out.printf("archive pass started %s, took %d ms%n", report.started(), report.millis());
        for (PartitionReport p : report.partitions()) {
            out.printf(
                    "partition %s: %d uploaded (%,d bytes), %d already archived, archived.lsn %s, lag %d s (%,d bytes)%n",
                    p.partition(),
                    p.uploaded(),
                    p.bytesUploaded(),
                    p.alreadyArchived(),
                    p.archivedLsn() < 0 ? "none yet" : Long.toString(p.archivedLsn()),
                    p.lagSeconds(),
                    p.lagBytes());
            p.delayedGaps()
                    .forEach(g -> out.printf(
                            "  pending  LSNs %s not archived yet (a local segment or a peer may still provide them)%n",
                            g));
            p.findings().forEach(f -> out.printf("  FINDING  %s%n", f));
            p.errors().forEach(e -> out.printf("  ERROR    %s%n", e));
        }
        report.errors().forEach(e -> out.printf("ERROR %s%n", e));
        String result = report.hasFindings()
                ? "findings: see the alerts for what to do"
                : report.hasErrors() ? "incomplete: the pass could not archive everything; the next one retries" : "ok";
        out.printf("result: %s%n", result);
    }
}
