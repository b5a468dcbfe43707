package dev.vigil.cli;

import dev.vigil.cli.config.ConfigException;
import dev.vigil.cli.config.ConfigLoader;
import dev.vigil.core.Durations;
import dev.vigil.core.Errors;
import dev.vigil.core.PartitionId;
import dev.vigil.core.Urls;
import dev.vigil.core.config.FleetConfig;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.fleet.FleetDatabase;
import dev.vigil.fleet.PartitionTask;
import dev.vigil.report.ComplianceReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil status}: what the repository says about every partition, and what needs attention. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        header = "Show what the repository says about every partition, and what needs attention.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  vigil status --config /etc/vigil/vigil.yaml",
            "  vigil status --config /etc/vigil/vigil.yaml --json"
        },
        description = {
            "Per partition: archived LSNs and gaps, archive lag (newest segment, max and p99 over"
                    + " report.period), the last snapshot, the restorable LSNs, the last scrub and verdict per replica,"
                    + " the last restore drill, open findings, and what needs attention (every unmet compliance"
                    + " requirement). With a fleet: section, also each partition's verification by the fleet, from its"
                    + " database: scheduled, running, waiting or failing, and why it is overdue (failing since when and"
                    + " why, no scrub report, an archive gap, not yet scheduled, no free worker). Reads only; stores"
                    + " nothing."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:nothing needs attention",
            "1:something does (ATTENTION lines; on a new deployment, at least until the first restore drill)",
            "2:configuration error",
            "3:the repository could not be read, or it did not answer within --timeout, or the fleet database could"
                    + " not be read (the rest is still printed, with an ATTENTION line saying why)"
        })
final class StatusCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ConfigOption config;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "30s",
            description = "Give up (exit 3, saying what it waited for) when the repository and the fleet database have"
                    + " not answered within this. Default: ${DEFAULT-VALUE}.")
    String timeout;

    @Override
    public Integer call() throws ConfigException, IOException, InterruptedException {
        Duration bound = parseTimeout();
        VigilConfig loaded = config.load();
        Clock clock = Clock.systemUTC();
        Bounded.Step step =
                new Bounded.Step("opening the repository " + loaded.repository().url());
        return Bounded.within(bound, step, "vigil-status", () -> status(loaded, clock, step, bound), outcome -> {
            spec.commandLine()
                    .getErr()
                    .println("vigil status: no answer within " + timeout + " while " + outcome
                            + "; nothing was printed. Check that it is reachable, or give it longer with --timeout");
            return ExitCodes.FAILURE;
        });
    }

    private Duration parseTimeout() {
        try {
            Duration parsed = ConfigLoader.parseDuration(timeout);
            if (parsed.isPositive()) {
                return parsed;
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--timeout: " + e.getMessage());
        }
        throw new CommandLine.ParameterException(spec.commandLine(), "--timeout: must be positive, was " + timeout);
    }

    private int status(VigilConfig loaded, Clock clock, Bounded.Step step, Duration bound) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        try (VigilServices services = new VigilServices(loaded, clock)) {
            step.now("reading the repository " + services.store().describe());
            ComplianceReport report =
                    services.reportBuilder().build(loaded.report().period());
            List<PartitionStatus> partitions = new ArrayList<>();
            for (ComplianceReport.PartitionCompliance compliance : report.partitions()) {
                partitions.add(PartitionStatus.of(compliance, clock.instant()));
            }
            List<String> fleetAttention = new ArrayList<>();
            boolean fleetUnread = false;
            if (loaded.fleet().isPresent()) {
                step.now("reading the fleet database "
                        + Urls.forDisplay(loaded.fleet().get().jdbcUrl()));
                Optional<List<PartitionStatus>> withFleet =
                        withFleet(partitions, loaded.fleet().get(), fleetAttention, clock, bound);
                fleetUnread = withFleet.isEmpty();
                partitions = withFleet.orElse(partitions);
            }
            step.now("printing");
            boolean attention = !report.reasons().isEmpty()
                    || !fleetAttention.isEmpty()
                    || partitions.stream().anyMatch(p -> !p.attention().isEmpty());
            if (json) {
                Map<String, Object> document = new LinkedHashMap<>();
                document.put("repository", services.store().describe());
                document.put("attention", attention);
                document.put("repositoryAttention", report.repositoryReasons());
                document.put("fleetAttention", fleetAttention);
                document.put("fleetDatabaseRead", loaded.fleet().isEmpty() ? null : !fleetUnread);
                document.put("partitions", partitions);
                CommandSupport.printJson(out, document);
            } else {
                print(
                        out,
                        services.store().describe(),
                        partitions,
                        report.repositoryReasons(),
                        fleetAttention,
                        loaded.report().period());
            }
            // The fleet's side unknown is a status that could not do its job: 3, not the 1 of a finding or of a
            // deployment that has not run its first drill yet, so a script tells the database down from the rest.
            return fleetUnread ? ExitCodes.FAILURE : ExitCodes.of(attention, false);
        }
    }

    /** PostgreSQL's SQLSTATE for a table that does not exist. */
    private static final String UNDEFINED_TABLE = "42P01";

    /**
     * Adds each partition's verification by the fleet, read from the fleet database; when the database cannot say,
     * one attention line says why (status then never reports the fleet's partitions as fine), and empty when it could
     * not be read at all (a database without tables yet is read: no worker has started).
     */
    private static Optional<List<PartitionStatus>> withFleet(
            List<PartitionStatus> partitions,
            FleetConfig fleet,
            List<String> attention,
            Clock clock,
            Duration timeout) {
        Map<PartitionId, PartitionTask> tasks;
        // Two thirds of the bound: a database that does not answer is then an ATTENTION line with the rest of the
        // status, and the bound itself is left for what never answers at all.
        Duration wait = timeout.multipliedBy(2).dividedBy(3);
        try {
            tasks = PartitionTask.readAll(FleetDatabase.unpooled(fleet, System.getenv(), wait));
        } catch (SQLException e) {
            if (UNDEFINED_TABLE.equals(e.getSQLState())) {
                attention.add("the fleet database " + Urls.forDisplay(fleet.jdbcUrl())
                        + " has no tasks yet: no worker (of this version: an older one creates fewer tables) has"
                        + " started; start one with vigil worker --config FILE");
                return Optional.of(partitions);
            }
            attention.add("the fleet database " + Urls.forDisplay(fleet.jdbcUrl()) + " could not be read (waited up"
                    + " to " + Durations.format(wait) + " to connect and for each answer): "
                    + Errors.messageWithCauses(e) + "; the partitions' verification is unknown (check fleet.jdbc-url,"
                    + " the password and that PostgreSQL runs)");
            return Optional.empty();
        }
        Instant now = clock.instant();
        return Optional.of(partitions.stream()
                .map(p ->
                        p.withFleet(FleetVerification.of(Optional.ofNullable(tasks.get(p.partition())), p, fleet, now)))
                .toList());
    }

    private static void print(
            PrintWriter out,
            String repository,
            List<PartitionStatus> partitions,
            List<String> attention,
            List<String> fleetAttention,
            Duration period) {
        out.println("repository " + repository);
        attention.forEach(a -> out.println("ATTENTION " + a));
        fleetAttention.forEach(a -> out.println("ATTENTION " + a));
        if (partitions.isEmpty()) {
            out.println("no archived partitions yet");
        }
        for (PartitionStatus p : partitions) {
            if (p.lastArchivedAt() == null) {
                out.printf("%n%s  nothing archived%n", p.partition());
            } else {
                out.printf(
                        "%n%s  archived LSNs %d..%d (last segment %d s ago)  last snapshot %s  restorable %s%n",
                        p.partition(),
                        p.archivedFrom(),
                        p.archivedTo(),
                        p.secondsSinceLastArchived(),
                        p.lastSnapshotLsn().map(l -> "LSN " + l).orElse("none"),
                        p.restorable().oldestLsn() == null
                                ? "NOTHING"
                                : "LSNs " + p.restorable().oldestLsn() + ".."
                                        + p.restorable().newestLsn());
            }
            PartitionStatus.Lag lag = p.lag();
            out.printf(
                    "    archive lag: %s; max %.1f s, p99 %.1f s over %d segment(s) in the last %s%n",
                    lag.newestSeconds() == null
                            ? "no segment archived lately"
                            : String.format(Locale.ROOT, "newest segment waited %.1f s", lag.newestSeconds()),
                    lag.maxSeconds(),
                    lag.p99Seconds(),
                    lag.segments(),
                    period.toDays() > 0 ? period.toDays() + " days" : period.toHours() + " h");
            for (PartitionStatus.ReplicaStatus r : p.replicas()) {
                out.printf(
                        "    replica %-12s last scrub at LSN %d, last verdict %s%n",
                        r.replica(),
                        r.lastScrubLsn(),
                        r.lastVerdictStatus() == null
                                ? "none yet"
                                : r.lastVerdictStatus() + " at LSN " + r.lastVerdictLsn() + " (" + r.lastVerdictAt()
                                        + ")");
            }
            out.println("    last restore drill: "
                    + p.lastDrill()
                            .map(d -> (d.passed() ? "passed" : "FAILED") + " at LSN " + d.lsn() + " (" + d.time() + ")")
                            .orElse("none yet"));
            if (p.fleet() != null) {
                out.println("    fleet verification: " + p.fleet().state()
                        + (p.fleet().overdue() ? ", OVERDUE" : "") + " ("
                        + p.fleet().why() + ")");
            }
            for (ComplianceReport.Finding f : p.openFindings()) {
                out.println("    " + (f.acknowledgements().isEmpty() ? "OPEN FINDING " : "ACKNOWLEDGED FINDING ")
                        + f.id() + " " + f.type() + " (" + f.subject() + ") since " + f.openedAt());
                // Every acknowledgement, oldest first: the trail, not just the latest word.
                for (ComplianceReport.Acknowledged ack : f.acknowledgements()) {
                    ComplianceReport.Signature signed = ack.signature();
                    out.println("        acknowledged by " + ack.by() + " at " + ack.at() + ": " + ack.reason()
                            + (signed == null
                                    ? ""
                                    : " (signed with " + signed.key() + (signed.verified() ? ", verified)" : ")")));
                }
            }
            p.attention().forEach(a -> out.println("    ATTENTION " + a));
            if (p.attention().isEmpty()) {
                out.println("    ok");
            }
        }
    }
}
