package dev.vigil.cli;

import dev.vigil.audit.AcknowledgementSignatures;
import dev.vigil.audit.SealVerifier;
import dev.vigil.core.repository.ReportSealer;
import dev.vigil.tlog.NoteKeys;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil audit verify}: a sealed compliance report checked offline, as an auditor does. */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        header = "Check a sealed compliance report offline, with the log's public key alone.",
        description = {
            "Read REPORT (any of its files: .json, .html or .parquet), the other files of the same report beside it and"
                    + " its seal (<id>.seal.json beside it, or --seal), and check: the seal's signature; that every"
                    + " report file is the one signed; the signed checkpoint of the repository's log the seal names;"
                    + " and that every piece of evidence the report cites (verdicts, restore drills, acknowledgements,"
                    + " the report's own objects) is in the log at that checkpoint, by its inclusion proof.",
            "With --operator-key, also check that every acknowledgement the report counts was signed by one of"
                    + " those operators, over every field the report prints (needs the report's .json).",
            "Needs no repository, no configuration and no network: give it the public key the operator published"
                    + " (vigil audit key prints it)."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  vigil audit verify reports/compliance-20261207T090000Z.json --public-key 'vigil.example.com/repo-1+8a9c3f2e+AQ...'",
            "  vigil audit verify compliance-20261207T090000Z.html --public-key log-public.key --seal evidence/seal.json",
            "  vigil audit verify compliance-20261207T090000Z.json --public-key log-public.key --later later.json",
            "  vigil audit verify compliance-20261207T090000Z.json --public-key log-public.key --operator-key"
                    + " operators.keys"
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:verified: signed by a trusted key, every file as signed, every piece of evidence proven",
            "1:evidence of tampering: a signature that does not verify, a file changed since it was sealed, a proof"
                    + " that fails, evidence removed (each named)",
            "2:bad input: an unreadable file, not a seal, a malformed public key",
            "3:the check could not be made: no seal beside the report, or no trusted key signed it"
        })
final class AuditVerifyCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "REPORT", description = "A file of the report: its .json, .html or .parquet.")
    Path report;

    @Option(
            names = "--public-key",
            required = true,
            paramLabel = "KEY",
            description = "A public key to trust (name+hash+key, as vigil audit key prints it), or a file of them, one"
                    + " per line. Repeatable.")
    List<String> publicKeys;

    @Option(names = "--seal", paramLabel = "FILE", description = "The seal, if not <id>.seal.json beside REPORT.")
    Path seal;

    @Option(
            names = "--later",
            paramLabel = "FILE",
            description = "A later checkpoint with its consistency proof (vigil audit prove): also check that the log"
                    + " today extends the log the report was sealed at.")
    Path later;

    @Option(
            names = "--operator-key",
            paramLabel = "KEY",
            description = "An operator's public key (as vigil audit keygen printed it), or a file of them: also check"
                    + " that every acknowledgement the report counts was signed by one of them (needs the report's"
                    + " .json). Repeatable.")
    List<String> operatorKeys = List.of();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String name = String.valueOf(report.getFileName());
        int dot = name.endsWith("." + ReportSealer.EXTENSION)
                ? name.length() - ReportSealer.EXTENSION.length() - 1
                : name.lastIndexOf('.');
        if (dot <= 0 || !Files.isRegularFile(report)) {
            err.println("vigil audit verify: " + report + " is not a report file (<id>.json, .html or .parquet)");
            return ExitCodes.USAGE;
        }
        String id = name.substring(0, dot);
        Path directory = Objects.requireNonNull(report.toAbsolutePath().getParent(), "a file has a directory");
        Path sealFile = seal != null ? seal : directory.resolve(id + "." + ReportSealer.EXTENSION);
        List<NoteKeys.Verifier> trusted;
        Map<String, byte[]> files = new TreeMap<>();
        byte[] sealBytes;
        Optional<byte[]> laterBytes;
        List<NoteKeys.Verifier> operators;
        try {
            trusted = trusted(publicKeys, "--public-key");
            operators = operatorKeys.isEmpty() ? List.of() : trusted(operatorKeys, "--operator-key");
            for (String form : List.of("html", "json", "parquet")) {
                Path file = directory.resolve(id + "." + form);
                if (Files.isRegularFile(file)) {
                    files.put(form, Files.readAllBytes(file));
                }
            }
            sealBytes = Files.readAllBytes(sealFile);
            laterBytes = later == null ? Optional.empty() : Optional.of(Files.readAllBytes(later));
        } catch (NoSuchFileException e) {
            if (later != null && e.getFile() != null && Path.of(e.getFile()).equals(later)) {
                err.println("vigil audit verify: --later " + later + " does not exist");
                return ExitCodes.USAGE;
            }
            err.println("vigil audit verify: no seal " + sealFile + ": the report was not sealed (its repository keeps"
                    + " no signed log), or the seal was not handed over with it; nothing was checked");
            return ExitCodes.FAILURE;
        } catch (IOException | IllegalArgumentException e) {
            err.println("vigil audit verify: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        SealVerifier.Result result = SealVerifier.verify(sealBytes, files, trusted, laterBytes);
        out.println(
                "report " + id + " (" + String.join(", ", files.keySet()) + " in " + directory + "), seal " + sealFile);
        result.checked().forEach(line -> out.println("  ok       " + line));
        result.problems().forEach(line -> out.println("  PROBLEM  " + line));
        SealVerifier.Outcome outcome = result.outcome();
        if (!operators.isEmpty()) {
            byte[] json = files.get("json");
            if (json == null) {
                err.println("vigil audit verify: --operator-key needs the report's .json beside it (" + id + ".json)");
                return ExitCodes.USAGE;
            }
            outcome = acknowledgements(json, operators, outcome, out);
        }
        return switch (outcome) {
            case VERIFIED -> {
                out.println("VERIFIED: the report is the one sealed, signed by a trusted key, and the evidence it cites"
                        + " is in the repository's signed log");
                yield ExitCodes.OK;
            }
            case TAMPERED -> {
                out.println("TAMPERED: the report or its evidence is not what was sealed (see PROBLEM)");
                yield ExitCodes.FINDINGS;
            }
            case BAD_INPUT -> {
                out.println("NOT CHECKED: bad input (see PROBLEM)");
                yield ExitCodes.USAGE;
            }
            case UNCHECKABLE -> {
                out.println("NOT CHECKED: no trusted key signed the seal, or an acknowledgement the report counts is"
                        + " not signed by a given operator key: it proves nothing either way (see PROBLEM)");
                yield ExitCodes.FAILURE;
            }
        };
    }

    /**
     * Checks every acknowledgement the report counts against the operator keys, printing each; returns the outcome
     * with theirs: a forged signature is tampering, an unsigned one or another key's leaves the report unchecked.
     */
    private static SealVerifier.Outcome acknowledgements(
            byte[] json, List<NoteKeys.Verifier> operators, SealVerifier.Outcome outcome, PrintWriter out) {
        List<AcknowledgementSignatures.InReport> acks;
        try {
            acks = new AcknowledgementSignatures(operators).inReport(json);
        } catch (IOException e) {
            out.println("  PROBLEM  the report's .json: " + e.getMessage());
            return outcome == SealVerifier.Outcome.VERIFIED ? SealVerifier.Outcome.BAD_INPUT : outcome;
        }
        SealVerifier.Outcome combined = outcome;
        for (AcknowledgementSignatures.InReport ack : acks) {
            String what = "acknowledgement of " + ack.finding() + " by " + ack.by();
            if (ack.outcome().counts()) {
                out.println("  ok       " + what + ": signed with operator key "
                        + ack.outcome().signedBy());
                continue;
            }
            out.println("  PROBLEM  " + what + ": " + ack.outcome().refusal());
            if (ack.outcome().forged()) {
                combined = SealVerifier.Outcome.TAMPERED;
            } else if (combined == SealVerifier.Outcome.VERIFIED) {
                combined = SealVerifier.Outcome.UNCHECKABLE;
            }
        }
        if (acks.isEmpty()) {
            out.println("  ok       the report counts no acknowledgement");
        }
        return combined;
    }

    /** Each value a key, or a file of keys (one per line; blank lines and # comments skipped). */
    private static List<NoteKeys.Verifier> trusted(List<String> values, String option) throws IOException {
        List<NoteKeys.Verifier> trusted = new ArrayList<>();
        for (String value : values) {
            Path file = Path.of(value);
            List<String> keys = !value.contains("+") && Files.isRegularFile(file)
                    ? Files.readAllLines(file, StandardCharsets.UTF_8)
                    : List.of(value);
            for (String key : keys) {
                String line = key.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                try {
                    trusted.add(NoteKeys.parseVerifier(line));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(option + " " + line + ": " + e.getMessage(), e);
                }
            }
        }
        if (trusted.isEmpty()) {
            throw new IllegalArgumentException(option + ": no key given");
        }
        return trusted;
    }
}
