package dev.vigil.cli;

import dev.vigil.audit.AcknowledgementSignatures;
import dev.vigil.audit.SigningKeyFile;
import dev.vigil.cli.config.ConfigException;
import dev.vigil.core.Durations;
import dev.vigil.core.PartitionId;
import dev.vigil.core.config.AuditConfig;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.io.ProcessTag;
import dev.vigil.core.repository.Acknowledgement;
import dev.vigil.core.repository.FindingIds;
import dev.vigil.report.ComplianceReport;
import dev.vigil.tlog.NoteKeys;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil ack FINDING --reason TEXT}: an operator's explanation of a finding, kept in the repository. */
@Command(
        name = "ack",
        mixinStandardHelpOptions = true,
        header = "Record an operator's explanation of a finding in the repository.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  vigil ack F-3fa0c2d1e9 --reason \"LSNs 301..400 lost with node b's disk, incident 4411\""
                    + " --config /etc/vigil/vigil.yaml",
            "  vigil ack F-3fa0c2d1e9 --reason \"incident 4411\" --sign-key ~/.vigil/alice.key --config"
                    + " /etc/vigil/vigil.yaml"
        },
        description = {
            "Record an operator's explanation of a finding (say, a gap known lost with a disk) in the"
                    + " repository. Reports and vigil status then show the finding as acknowledged, with who, when and"
                    + " why, and it no longer counts against \"no open findings\"; the facts it describes (a gap, a"
                    + " verdict) still count where they belong. FINDING is the id that reports and vigil status print (F-"
                    + " and 10 hex digits)."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:recorded",
            "2:usage or configuration error, or no such finding in report.period",
            "3:the repository could not be read or written"
        })
final class AckCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ConfigOption config;

    @Parameters(
            index = "0",
            paramLabel = "FINDING",
            description = "The finding's id, as reports and vigil status print it.")
    String finding;

    @Option(
            names = "--reason",
            required = true,
            paramLabel = "TEXT",
            description = "Why: what happened, and what was done.")
    String reason;

    @Option(
            names = "--by",
            paramLabel = "NAME",
            description = "Who acknowledges it. Default: the user and host this runs as.")
    String by;

    @Option(
            names = "--sign-key",
            paramLabel = "FILE",
            description = "Sign the acknowledgement with this operator key (made by vigil audit keygen, mode 0600):"
                    + " reports built where its public key is in audit.operator-keys count it, and an auditor checks it"
                    + " offline. Required when audit.operator-keys is set.")
    Path signKey;

    @Override
    public Integer call() throws ConfigException, IOException {
        if (!FindingIds.isValid(finding)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "'" + finding + "' is not a finding id: ids look"
                            + " like F-3fa0c2d1e9 (vigil status and the reports print them)");
        }
        if (reason.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--reason must say why");
        }
        NoteKeys.Signer operator = null;
        if (signKey != null) {
            try {
                operator = SigningKeyFile.load(signKey);
            } catch (IOException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--sign-key: " + e.getMessage(), e);
            }
        }
        VigilConfig loaded = config.load();
        requireCountable(loaded, operator);
        PrintWriter out = spec.commandLine().getOut();
        Clock clock = Clock.systemUTC();
        try (VigilServices services = new VigilServices(loaded, clock)) {
            ComplianceReport report =
                    services.reportBuilder().build(loaded.report().period());
            List<Found> candidates = new ArrayList<>();
            report.repositoryFindings().forEach(f -> candidates.add(new Found(Optional.empty(), f)));
            report.partitions()
                    .forEach(p -> p.findings().forEach(f -> candidates.add(new Found(Optional.of(p.partition()), f))));
            Optional<Found> match = candidates.stream()
                    .filter(c -> c.finding().id().equals(finding))
                    .findFirst();
            if (match.isEmpty()) {
                spec.commandLine()
                        .getErr()
                        .println("vigil ack: no finding " + finding + " in the last "
                                + Durations.format(loaded.report().period()) + " (report.period) of "
                                + services.store().describe()
                                + "; vigil status lists the open findings with their ids");
                return ExitCodes.USAGE;
            }
            String who = by != null && !by.isBlank()
                    ? by
                    : System.getProperty("user.name", "unknown") + "@"
                            + ProcessTag.current().host();
            Acknowledgement ack = new Acknowledgement(
                    Acknowledgement.VERSION,
                    finding,
                    match.get().partition().orElse(null),
                    who,
                    clock.instant(),
                    reason.strip());
            if (operator != null) {
                ack = AcknowledgementSignatures.sign(ack, operator);
            }
            String key = services.repository().acknowledge(ack);
            ComplianceReport.Finding f = match.get().finding();
            out.printf(
                    "acknowledged %s %s (%s%s), opened %s, %s%n",
                    f.id(),
                    f.type(),
                    match.get().partition().map(p -> "partition " + p + ", ").orElse(""),
                    f.subject(),
                    f.openedAt(),
                    f.open() ? "still open" : "resolved " + f.resolvedAt());
            out.printf("by %s at %s: %s%n", ack.by(), ack.at(), ack.reason());
            if (operator != null) {
                out.println("signed with operator key " + operator.verifier().encode());
            }
            out.println("stored " + services.store().locate(key));
            return ExitCodes.OK;
        }
    }

    /** With {@code audit.operator-keys} set, an acknowledgement reports would not count is refused before it is stored. */
    private void requireCountable(VigilConfig loaded, NoteKeys.@Nullable Signer operator) {
        List<String> operators = loaded.audit().map(AuditConfig::operatorKeys).orElse(List.of());
        if (operators.isEmpty()) {
            return;
        }
        if (operator == null) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "audit.operator-keys is set: reports count only signed acknowledgements; sign it with --sign-key"
                            + " FILE (an operator key whose public key is in audit.operator-keys)");
        }
        String mine = operator.verifier().encode();
        if (!operators.contains(mine)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--sign-key " + signKey + ": its public key " + mine + " is not in audit.operator-keys, so reports"
                            + " would not count the acknowledgement; add it there, or sign with an operator's key");
        }
    }

    private record Found(Optional<PartitionId> partition, ComplianceReport.Finding finding) {}
}
