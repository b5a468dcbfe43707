package dev.vigil.cli;

import dev.vigil.audit.AuditFinding;
import dev.vigil.audit.AuditState;
import dev.vigil.audit.Auditor;
import dev.vigil.audit.Checkpointer;
import dev.vigil.audit.SigningKeyFile;
import dev.vigil.cli.config.ConfigException;
import dev.vigil.cli.config.ConfigLoader;
import dev.vigil.cli.config.Repositories;
import dev.vigil.core.config.AuditConfig;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.tlog.Checkpoint;
import dev.vigil.tlog.NoteKeys;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil audit}: the repository against its tamper-evident log. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        header = "Prove that the repository is what its tamper-evident log says.",
        description = {
            "Read the repository's log (audit: in the configuration) entry by entry, check every signed checkpoint"
                    + " against it, and compare every object in the repository with its latest entry: names each"
                    + " object altered, inserted or removed behind the log's back, and each rewritten, missing or"
                    + " forged part of the log, with the entry and the time it was logged. No key of an encrypted"
                    + " repository is needed: it hashes what is stored.",
            "It resumes from the last audit made from this work directory (work-dir/state/audit-state.json.gz): it"
                    + " reads only the entries appended since and the objects listed differently (size, time, the"
                    + " store's version) since they were found intact; --full reads everything."
        },
        subcommands = {
            AuditCommand.Key.class,
            AuditCommand.Sign.class,
            AuditCommand.Keygen.class,
            AuditVerifyCommand.class,
            AuditProveCommand.class
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  vigil audit --config /etc/vigil/vigil.yaml",
            "  vigil audit --config /etc/vigil/vigil.yaml --full --max-rate 100MiB",
            "  vigil audit keygen --key /etc/vigil/log-signing.key --name vigil.example.com/repo-1"
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the repository is what its log says (objects still being logged are listed as pending)",
            "1:evidence of tampering or loss (each finding named)",
            "2:usage or configuration error, no audit: section, or no trusted key",
            "3:the repository could not be read, or the audit proved nothing: an empty log, or no signed checkpoint"
        })
final class AuditCommand implements Callable<Integer> {

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "The YAML configuration file.")
    Path config;

    @Option(
            names = "--full",
            description = "Read every entry and every object, not only what is new or listed differently since the"
                    + " last audit from this work directory.")
    boolean full;

    @Option(
            names = "--max-rate",
            paramLabel = "SIZE",
            description = "Read at most this many stored bytes per second, e.g. 50MiB (default: no limit).")
    String maxRate;

    @Override
    public Integer call() throws ConfigException, IOException {
        VigilConfig loaded = load(spec, config);
        AuditConfig audit = requireAudit(spec, loaded);
        List<NoteKeys.Verifier> trusted = trusted(audit);
        if (trusted.isEmpty()) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "vigil audit: no trusted key: set audit.public-keys (vigil audit key prints one) or"
                            + " audit.signing-key");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path stateFile = ScheduledLog.stateFile(loaded);
        Optional<AuditState> previous = full ? Optional.empty() : AuditState.load(stateFile);
        Clock clock = Clock.systemUTC();
        Instant[] lastLine = {clock.instant()};
        Auditor.Progress progress = (objects, listed, bytes) -> {
            Instant now = clock.instant();
            if (Duration.between(lastLine[0], now).compareTo(PROGRESS_EVERY) >= 0) {
                lastLine[0] = now;
                err.printf(
                        "audit: %,d of %,d object(s) compared, %,.1f MiB read%n", objects, listed, bytes / 1048576.0);
                err.flush();
            }
        };
        Auditor.Report report;
        try (Repositories.Witness witness = Repositories.witness(loaded, clock);
                ObjectStore store = Repositories.stored(loaded, clock, false)) {
            report = witness.of(
                            new Auditor(store, trusted, audit.grace(), clock, MaxRate.pace(spec, maxRate), progress))
                    .audit(previous);
            out.println("audited " + store.describe() + ": log of " + report.entries() + " entries, root "
                    + HexFormat.of().formatHex(report.root()) + "; " + report.checkpoints()
                    + " signed checkpoint(s) checked"
                    + (report.witnessCheckpoints() < 0
                            ? ""
                            : " (" + report.witnessCheckpoints() + " of them in the witness "
                                    + witness.store().map(ObjectStore::describe).orElse("") + ")")
                    + "; " + report.objects() + " object(s) compared");
            if (report.witnessCheckpoints() == 0 && report.checkpoints() > 0) {
                err.println("warning: the witness holds no checkpoint: it was emptied, or configured after the"
                        + " checkpoints were signed; the next `vigil audit checkpoint` copies one there");
            }
            out.println((report.full()
                            ? "  full audit: "
                            : "  resumed from the audit of " + report.state().fullAt() + " on: ")
                    + report.entriesRead() + " entries read, " + report.objectsHashed() + " object(s) read ("
                    + String.format(java.util.Locale.ROOT, "%.1f MiB", report.bytesHashed() / 1048576.0)
                    + "), " + (report.objects() - report.objectsHashed()) + " listed as when last found intact");
        }
        try {
            report.state().save(stateFile);
        } catch (IOException e) {
            // The audit itself is complete: its result stands; only the next one cannot resume from it.
            err.println("vigil audit: could not save what this audit proved to " + stateFile + " (" + e.getMessage()
                    + "); the next audit reads everything again");
        }
        for (AuditFinding finding : report.findings()) {
            out.println("  " + finding);
        }
        long tampering =
                report.findings().stream().filter(AuditFinding::tampering).count();
        if (tampering > 0) {
            out.println("NOT OK: " + tampering + " finding(s) of tampering or loss; the log says what each object"
                    + " should be and when it was logged");
            return ExitCodes.FINDINGS;
        }
        if (report.entries() == 0 && report.objects() == 0) {
            out.println("INCOMPLETE: the repository and its log are empty: nothing was audited");
            return ExitCodes.FAILURE;
        }
        if (report.checkpoints() == 0) {
            // Without a signed root, whoever can write the bucket could rewrite entries and objects alike, unseen.
            out.println("INCOMPLETE: no signed checkpoint anchors the log, so the objects were compared with entries"
                    + " nobody signed; sign one (vigil audit checkpoint) and audit again");
            return ExitCodes.FAILURE;
        }
        out.println("OK: the repository is what its log says"
                + (report.findings().isEmpty() ? "" : " (objects not yet logged are pending, within audit.grace)"));
        return ExitCodes.OK;
    }

    private static VigilConfig load(CommandLine.Model.CommandSpec spec, Path file) throws ConfigException {
        if (file == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--config=FILE'");
        }
        return ConfigLoader.load(file);
    }

    private static AuditConfig requireAudit(CommandLine.Model.CommandSpec spec, VigilConfig config) {
        return config.audit()
                .orElseThrow(() -> new CommandLine.ParameterException(
                        spec.commandLine(),
                        "the configuration has no audit: section (origin, signing-key or public-keys): there is no log"
                                + " to audit"));
    }

    private static List<NoteKeys.Verifier> trusted(AuditConfig audit) throws IOException {
        return ScheduledLog.trusted(audit);
    }

    @Command(
            name = "key",
            mixinStandardHelpOptions = true,
            header = "Print the log's public key(s), for auditors.",
            description = "Print the verifier key of the configured signing key and the trusted public keys, in the"
                    + " signed-note format (name+hash+key). Never the signing key itself.",
            footerHeading = "%nExample:%n",
            footer = "  vigil audit key --config /etc/vigil/vigil.yaml",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:printed", "2:usage or configuration error, or no audit: section"})
    static final class Key implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        ConfigOption config;

        @Override
        public Integer call() throws ConfigException, IOException {
            AuditConfig audit = requireAudit(spec, config.load());
            trusted(audit).forEach(key -> spec.commandLine().getOut().println(key.encode()));
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "checkpoint",
            mixinStandardHelpOptions = true,
            header = "Sign a checkpoint of the log now.",
            description = "Recompute the log's tree from its entries and store a checkpoint (size, root, time) signed"
                    + " with audit.signing-key under log/checkpoints/, unless one of that size exists.",
            footerHeading = "%nExample:%n",
            footer = "  vigil audit checkpoint --config /etc/vigil/vigil.yaml",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {
                "0:signed",
                "2:usage or configuration error, no audit: section or no audit.signing-key",
                "3:the log could not be read or written"
            })
    static final class Sign implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        ConfigOption config;

        @Override
        public Integer call() throws ConfigException, IOException {
            VigilConfig loaded = config.load();
            AuditConfig audit = requireAudit(spec, loaded);
            if (audit.signingKey().isEmpty()) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "audit.signing-key is not set: this machine cannot sign checkpoints");
            }
            NoteKeys.Signer signer = SigningKeyFile.load(audit.signingKey().get());
            try (Repositories.Witness witness = Repositories.witness(loaded, Clock.systemUTC());
                    ObjectStore store = Repositories.stored(loaded, Clock.systemUTC(), false)) {
                Checkpoint checkpoint = new Checkpointer(
                                store,
                                signer,
                                audit.origin(),
                                Clock.systemUTC(),
                                Optional.of(ScheduledLog.leafCache(loaded, store, audit)),
                                witness.store())
                        .checkpoint();
                spec.commandLine()
                        .getOut()
                        .println("signed " + checkpoint + " as "
                                + signer.verifier().encode());
            }
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "keygen",
            mixinStandardHelpOptions = true,
            header = "Create a checkpoint signing key.",
            description = "Write a new Ed25519 signing key to FILE (mode 0600; never over an existing file) and print"
                    + " its public key. Keep the file outside the repository; give auditors the public key.",
            footerHeading = "%nExample:%n",
            footer = "  vigil audit keygen --key /etc/vigil/log-signing.key --name vigil.example.com/repo-1",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:created", "2:usage error, or the file exists", "3:cannot write it"})
    static final class Keygen implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--key", required = true, paramLabel = "FILE", description = "The key file to create.")
        Path key;

        @Option(
                names = "--name",
                required = true,
                paramLabel = "NAME",
                description = "The key's name: the log's origin, e.g. vigil.example.com/repo-1.")
        String name;

        @Override
        public Integer call() throws IOException {
            NoteKeys.Signer signer;
            try {
                signer = SigningKeyFile.create(key, name, new SecureRandom());
            } catch (FileAlreadyExistsException e) {
                spec.commandLine().getErr().println("vigil audit keygen: " + key + " exists; it is never overwritten");
                return ExitCodes.USAGE;
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--name: " + e.getMessage());
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("created " + key + " (mode 0600); public key:");
            out.println(signer.verifier().encode());
            out.println("set audit.signing-key: " + key + " where checkpoints are signed, and give auditors the"
                    + " public key above (audit.public-keys)");
            return ExitCodes.OK;
        }
    }
}
