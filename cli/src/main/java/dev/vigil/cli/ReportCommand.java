package dev.vigil.cli;

import dev.vigil.cli.config.ConfigException;
import dev.vigil.cli.config.ConfigLoader;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.repository.ReportSealer;
import dev.vigil.report.ComplianceReport;
import dev.vigil.report.ReportFormat;
import dev.vigil.report.ReportService;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil report}: build a compliance report now, store it in the repository, and optionally write it locally. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        header = "Build a compliance report from what the repository proves.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  vigil report --config /etc/vigil/vigil.yaml --out /srv/reports",
            "  vigil report --config /etc/vigil/vigil.yaml --period 30d --format html --out ."
        },
        description = {
            "Build a compliance report of the period up to now from what the repository proves (archive coverage"
                    + " and lag, verification freshness, findings opened and resolved, restore drills, the restorable"
                    + " window, Object Lock), store it under reports/ in the repository as HTML, JSON and Parquet, and"
                    + " write the chosen formats to --out."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:compliant",
            "1:not compliant (the reasons are printed; COMPLIANCE_FAILED is raised)",
            "2:usage or configuration error",
            "3:the repository could not be read or written"
        })
final class ReportCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ConfigOption config;

    @Option(
            names = "--period",
            paramLabel = "DURATION",
            description = "The period the report covers, up to now: 12h, 7d, 30d ... (default: report.period, 7d).")
    String period;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            split = ",",
            description =
                    "Formats written to --out: html, json, parquet; repeat or separate with commas (default: all)."
                            + " The repository always receives all three.")
    List<String> formats;

    @Option(names = "--out", paramLabel = "DIR", description = "Also write the report to this directory.")
    Path out;

    @Option(names = "--json", description = "Print the report as JSON instead of a summary.")
    boolean json;

    @Override
    public Integer call() throws ConfigException, IOException {
        VigilConfig loaded = config.load();
        Duration covered = period == null ? loaded.report().period() : parsePeriod();
        Set<ReportFormat> local = parseFormats();
        PrintWriter out = spec.commandLine().getOut();
        try (VigilServices services = new VigilServices(loaded, Clock.systemUTC())) {
            ReportService.Run run = services.reportService().publishNow(covered, local, Optional.ofNullable(this.out));
            ComplianceReport report = run.report();
            if (json) {
                CommandSupport.printJson(out, report);
            } else {
                print(out, report, run);
            }
            return report.compliant() ? ExitCodes.OK : ExitCodes.FINDINGS;
        }
    }

    private Duration parsePeriod() {
        try {
            Duration parsed = ConfigLoader.parseDuration(period);
            if (parsed.isZero()) {
                throw new IllegalArgumentException("the period must be longer than zero");
            }
            return parsed;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--period: " + e.getMessage());
        }
    }

    private Set<ReportFormat> parseFormats() {
        if (formats == null || formats.isEmpty()) {
            return EnumSet.allOf(ReportFormat.class);
        }
        Map<String, ReportFormat> known = new LinkedHashMap<>();
        for (ReportFormat format : ReportFormat.values()) {
            known.put(format.extension(), format);
        }
        Set<ReportFormat> chosen = EnumSet.noneOf(ReportFormat.class);
        for (String name : formats) {
            ReportFormat format = known.get(name.trim().toLowerCase(Locale.ROOT));
            if (format == null) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "--format: '" + name + "' is not one of " + String.join(", ", known.keySet()));
            }
            chosen.add(format);
        }
        if (out == null) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--format chooses what --out receives: give --out DIR"
                            + " too (the repository always receives every format)");
        }
        return chosen;
    }

    private static void print(PrintWriter out, ComplianceReport report, ReportService.Run run) {
        ComplianceReport.Totals t = report.totals();
        out.println("compliance report " + report.id() + " for " + report.repository() + ", " + report.periodStart()
                + " to " + report.generatedAt() + " (Vigil " + report.vigilVersion() + ")");
        long failed = report.checks().stream().filter(c -> !c.passed()).count();
        out.println(
                report.compliant()
                        ? "COMPLIANT: all " + report.checks().size() + " requirements met"
                        : "NOT COMPLIANT: " + failed + " of " + report.checks().size() + " requirements not met");
        for (ComplianceReport.RequirementCheck check : report.checks()) {
            out.printf(
                    "  %s  %s%s%n",
                    check.passed() ? "PASS" : "FAIL",
                    check.description(),
                    check.setting() == null ? "" : " " + check.value() + " (" + check.setting() + ")");
            check.failures().forEach(f -> out.println("          - " + f));
        }
        out.printf(
                "partitions %d (%d compliant, %d fully verified in the period); replicas %d (%d verified within the"
                        + " maximum age); findings %d opened, %d resolved, %d open; restore drills %d passed, %d failed%n",
                t.partitions(),
                t.partitionsCompliant(),
                t.partitionsFullyVerified(),
                t.replicas(),
                t.replicasVerifiedWithinMaxAge(),
                t.findingsOpened(),
                t.findingsResolved(),
                t.findingsOpen(),
                t.drillsPassed(),
                t.drillsFailed());
        ComplianceReport.Encryption encryption = report.encryption();
        if (encryption != null) {
            out.println("encryption at rest: " + encryption.encrypted() + " of " + encryption.objects()
                    + " object(s) stored in the period encrypted"
                    + (encryption.byKey().isEmpty()
                            ? ""
                            : " ("
                                    + encryption.byKey().entrySet().stream()
                                            .map(e -> "key " + e.getKey() + ": " + e.getValue())
                                            .collect(java.util.stream.Collectors.joining(", "))
                                    + ")")
                    + ", " + encryption.plain() + " in plaintext"
                    + (encryption.plainExamples().isEmpty()
                            ? ""
                            : " (" + String.join(", ", encryption.plainExamples()) + ")"));
        }
        for (ComplianceReport.PartitionCompliance p : report.partitions()) {
            out.printf(
                    "  %-20s %-13s LSNs %d..%d, %d gap(s), lag max %.1f s p99 %.1f s, restorable %s%n",
                    p.partition(),
                    p.compliant() ? "compliant" : "NOT compliant",
                    p.coverage().firstLsn(),
                    p.coverage().lastLsn(),
                    p.coverage().gaps().size(),
                    p.lag().maxSeconds(),
                    p.lag().p99Seconds(),
                    p.restorable().oldestLsn() == null
                            ? "nothing"
                            : "LSNs " + p.restorable().oldestLsn() + ".."
                                    + p.restorable().newestLsn());
        }
        run.published().keys().forEach(k -> out.println("stored   " + k));
        run.published().files().forEach(f -> out.println("written  " + f));
        if (run.published().keys().stream().anyMatch(k -> k.endsWith("." + ReportSealer.EXTENSION))) {
            out.println("sealed   with the repository's signed log; an auditor checks it offline with: vigil audit"
                    + " verify " + report.id() + ".json --public-key KEY   (vigil audit key prints KEY)");
        }
    }
}
