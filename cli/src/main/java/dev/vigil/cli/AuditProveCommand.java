package dev.vigil.cli;

import dev.vigil.audit.Checkpointer;
import dev.vigil.audit.LaterCheckpoint;
import dev.vigil.audit.SigningKeyFile;
import dev.vigil.cli.config.ConfigException;
import dev.vigil.cli.config.Repositories;
import dev.vigil.core.config.AuditConfig;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.io.DurableFiles;
import dev.vigil.core.store.ObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil audit prove}: a later checkpoint and the proof that it extends the one a report was sealed at. */
@Command(
        name = "prove",
        mixinStandardHelpOptions = true,
        header = "Prove that the log today extends the log a report was sealed at.",
        description = "Sign a checkpoint of the repository's log now and write it, with the RFC 6962 consistency proof"
                + " from the checkpoint in SEAL (a report's <id>.seal.json), to --out. Hand it to an auditor with the"
                + " report: vigil audit verify REPORT --later FILE then shows offline that nothing the report cites"
                + " was rewritten or removed from the log since it was sealed.",
        footerHeading = "%nExample:%n",
        footer = "  vigil audit prove reports/compliance-20261207T060000Z.seal.json --config /etc/vigil/vigil.yaml"
                + " --out later.json",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:written",
            "2:usage or configuration error, no audit.signing-key, or SEAL is not a seal",
            "3:the log could not be read (or has a gap, or is shorter than the seal's checkpoint), or --out not written"
        })
final class AuditProveCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ConfigOption config;

    @Parameters(index = "0", paramLabel = "SEAL", description = "The report's seal (<id>.seal.json).")
    Path seal;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the proof.")
    Path out;

    @Override
    public Integer call() throws ConfigException, IOException {
        VigilConfig loaded = config.load();
        AuditConfig audit = loaded.audit()
                .filter(a -> a.signingKey().isPresent())
                .orElseThrow(() -> new CommandLine.ParameterException(
                        spec.commandLine(), "audit.signing-key is not set: this machine cannot sign checkpoints"));
        long from;
        try {
            from = LaterCheckpoint.sealedSize(Files.readAllBytes(seal));
        } catch (IOException e) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), seal + ": not a report's seal (" + e.getMessage() + ")", e);
        }
        Clock clock = Clock.systemUTC();
        try (Repositories.Witness witness = Repositories.witness(loaded, clock);
                ObjectStore store = Repositories.stored(loaded, clock, false)) {
            Checkpointer checkpointer = new Checkpointer(
                    store,
                    SigningKeyFile.load(audit.signingKey().orElseThrow()),
                    audit.origin(),
                    clock,
                    Optional.empty(),
                    witness.store());
            // The proof needs the whole tree: read in full, so it proves the log as stored now.
            DurableFiles.publish(out, LaterCheckpoint.prove(store, checkpointer, from));
        }
        spec.commandLine()
                .getOut()
                .println("wrote " + out + ": a checkpoint signed now and its consistency proof from the sealed one at "
                        + from + " entries; check it with vigil audit verify REPORT --public-key KEY --later " + out);
        return ExitCodes.OK;
    }
}
