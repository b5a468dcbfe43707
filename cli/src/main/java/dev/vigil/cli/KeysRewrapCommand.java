package dev.vigil.cli;

import dev.vigil.cli.config.ConfigException;
import dev.vigil.cli.config.Repositories;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.encryption.EncryptingObjectStore;
import dev.vigil.encryption.KeyCheck;
import dev.vigil.encryption.Keyring;
import dev.vigil.encryption.Rewrap;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.LongConsumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil keys rewrap}: existing objects under the active key. */
@Command(
        name = "rewrap",
        mixinStandardHelpOptions = true,
        header = "Put existing objects under the active key (after vigil keys rotate).",
        description = {
            "Re-encrypt every object whose data key is wrapped by another key than the active one (or only those"
                    + " under --from) under a fresh data key wrapped by the active key. The key's header is part of"
                    + " each object, so each object is read, authenticated, encrypted again and put back: bytes sent"
                    + " equal the objects' stored size. An object is replaced only while it is still the version"
                    + " listed: one its writer replaced meanwhile, or retention deleted, is left alone and named.",
            "Safe to interrupt and run again (each object is replaced whole or not at all; objects already under"
                    + " the active key are skipped after reading their first bytes). On S3, needs a server that"
                    + " honours If-Match on a put (check-config --connect lists it). Under S3 Object Lock, the old"
                    + " versions stay locked and still need their key until their retention ends."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  vigil keys rewrap --config /etc/vigil/vigil.yaml --dry-run",
            "  vigil keys rewrap --config /etc/vigil/vigil.yaml --from k1 --max-rate 50MiB"
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every selected object is under the active key",
            "1:objects whose key is missing or does not open, or that are damaged (each named; left as they are)",
            "2:usage or configuration error, encryption not configured, or an unknown --from key",
            "3:incomplete: objects changed by another writer meanwhile (run again), or the repository could not be"
                    + " read or written"
        })
final class KeysRewrapCommand implements Callable<Integer> {

    private static final Duration LINE_EVERY = Duration.ofSeconds(10);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ConfigOption config;

    @Option(
            names = "--from",
            paramLabel = "KEY",
            description = "Only objects wrapped by this key id (default: every key but the active one).")
    String from;

    @Option(
            names = "--include-plaintext",
            description = "Also encrypt objects written before encryption was switched on.")
    boolean includePlaintext;

    @Option(names = "--dry-run", description = "Count what would be rewrapped; change nothing.")
    boolean dryRun;

    @Option(
            names = "--max-rate",
            paramLabel = "SIZE",
            description = "Read at most this many stored bytes per second, e.g. 50MiB (default: no limit).")
    String maxRate;

    @Override
    public Integer call() throws ConfigException, IOException {
        VigilConfig loaded = config.load();
        if (loaded.encryption().isEmpty()) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "vigil keys rewrap: encryption is not configured (add encryption: with keyring and"
                            + " repository-id to the configuration)");
        }
        LongConsumer pace = MaxRate.pace(spec, maxRate);
        PrintWriter out = spec.commandLine().getOut();
        Clock clock = Clock.systemUTC();
        try (ObjectStore store = Repositories.open(loaded, clock)) {
            EncryptingObjectStore encrypted = (EncryptingObjectStore) store;
            String active = encrypted.activeKeyId();
            if (from != null && from.equals(active)) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--from " + from + " is the active key: its objects need no rewrap");
            }
            if (from != null
                    && loaded.encryption().get().keyring().isPresent()
                    && Keyring.load(loaded.encryption().get().keyring().get())
                            .key(from)
                            .isEmpty()) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "--from " + from + " is not a key of the keyring (vigil keys list shows its keys)");
            }
            out.println((dryRun ? "dry run: " : "") + "rewrapping " + store.describe() + " under key " + active
                    + " (" + encrypted.describeKeys() + ")"
                    + (from == null ? "" : ", objects under key " + from + " only")
                    + (includePlaintext ? ", plaintext objects too" : ""));
            out.flush();
            Instant[] lastLine = {clock.instant()};
            long[] seen = {0, 0};
            Rewrap.Outcome outcome = new Rewrap(encrypted, pace)
                    .run(
                            new Rewrap.Options(Optional.ofNullable(from), includePlaintext, dryRun),
                            (key, action, bytes) -> {
                                seen[0]++;
                                if (action == Rewrap.Action.REWRAPPED) {
                                    seen[1]++;
                                }
                                Instant now = clock.instant();
                                if (Duration.between(lastLine[0], now).compareTo(LINE_EVERY) >= 0) {
                                    lastLine[0] = now;
                                    out.printf(
                                            "  %,d objects examined, %,d rewrapped; now at %s%n",
                                            seen[0], seen[1], key);
                                    out.flush();
                                }
                            });
            return report(out, outcome, active);
        }
    }

    private int report(PrintWriter out, Rewrap.Outcome outcome, String active) {
        out.printf(
                "%,d objects examined: %,d %s (%,d stored bytes read, %,d written), %,d already under %s, %,d under"
                        + " keys not selected, %,d in plaintext left as they are%n",
                outcome.examined(),
                outcome.rewrapped(),
                dryRun ? "to rewrap" : "rewrapped",
                outcome.bytesRead(),
                outcome.bytesWritten(),
                outcome.alreadyActive(),
                active,
                outcome.notSelected(),
                outcome.plaintextLeft());
        for (KeyCheck problem : outcome.unopenable()) {
            out.println("  " + problem.state() + " " + problem.key()
                    + (problem.keyId().isEmpty() ? "" : " (key " + problem.keyId() + ")") + ": " + problem.detail());
        }
        outcome.damaged().forEach(d -> out.println("  DAMAGED " + d));
        outcome.changed()
                .forEach(key -> out.println("  CHANGED MEANWHILE " + key
                        + " (replaced by its writer or deleted by retention after it was listed: left alone)"));
        if (!outcome.unopenable().isEmpty() || !outcome.damaged().isEmpty()) {
            out.println("NOT OK: "
                    + (outcome.unopenable().size() + outcome.damaged().size())
                    + " object(s) could not be rewrapped; put missing keys back from the keyring's backup (vigil keys"
                    + " check names them) and see vigil verify archive for damaged ones");
            return ExitCodes.FINDINGS;
        }
        if (!outcome.changed().isEmpty()) {
            out.println("INCOMPLETE: " + outcome.changed().size() + " object(s) changed while this ran; run"
                    + " vigil keys rewrap again to check them");
            return ExitCodes.FAILURE;
        }
        out.println(
                dryRun
                        ? "dry run: nothing was changed"
                        : "OK: every selected object is under key " + active
                                + (outcome.plaintextLeft() > 0
                                        ? " (plaintext objects left: --include-plaintext encrypts them)"
                                        : ""));
        return ExitCodes.OK;
    }
}
