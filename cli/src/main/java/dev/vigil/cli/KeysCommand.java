package dev.vigil.cli;

import dev.vigil.cli.config.ConfigException;
import dev.vigil.cli.config.Repositories;
import dev.vigil.core.config.EncryptionConfig;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.io.DirectoryLock;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.encryption.EncryptingObjectStore;
import dev.vigil.encryption.KeyAudit;
import dev.vigil.encryption.KeyCheck;
import dev.vigil.encryption.Keyring;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil keys}: the keyring of an encrypted repository. */
@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        header = "Create, rotate, list, check and rewrap the keys of an encrypted repository.",
        description = "Create, rotate, list, check and rewrap the keys of an encrypted repository (encryption: in the"
                + " configuration). Key material is never printed.",
        subcommands = {
            KeysCommand.Create.class,
            KeysCommand.Rotate.class,
            KeysCommand.ListKeys.class,
            KeysCommand.Check.class,
            KeysRewrapCommand.class
        })
final class KeysCommand implements Runnable {

    private static final DateTimeFormatter ID =
            DateTimeFormatter.ofPattern("'k-'yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "name what to do, e.g. 'vigil keys check --config FILE'");
    }

    static String newId(Instant now) {
        return ID.format(now);
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            header = "Create a keyring with one new key, readable by its owner only.",
            description = "Create a keyring file with one new, active key (256 random bits), mode 0600. Back it up"
                    + " somewhere other than the repository: without it nothing encrypted can be read. Then name it"
                    + " in the configuration (encryption.keyring, encryption.repository-id).",
            footerHeading = "%nExample:%n",
            footer = "  vigil keys create --keyring /etc/vigil/keyring.json",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:created", "2:usage error, or the file exists (never overwritten)", "3:cannot write it"})
    static final class Create implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--keyring", required = true, paramLabel = "FILE", description = "The keyring file to create.")
        Path file;

        @Option(names = "--id", paramLabel = "ID", description = "The key's id (default k-<UTC time>).")
        String id;

        @Override
        public Integer call() throws IOException {
            // Held while the file is checked and written: two creates at once cannot both write it.
            try (DirectoryLock lock = DirectoryLock.acquireBeside(
                    file, "keyring", "vigil keys create", Clock.systemUTC().instant())) {
                return lock.isHeld() ? create() : ExitCodes.FAILURE;
            }
        }

        private Integer create() throws IOException {
            if (Files.exists(file)) {
                spec.commandLine()
                        .getErr()
                        .println("vigil keys create: " + file + " exists and is never overwritten (it may hold the"
                                + " only copy of keys objects need); use vigil keys rotate to add a key");
                return ExitCodes.USAGE;
            }
            Instant now = Clock.systemUTC().instant();
            Keyring keyring;
            try {
                keyring = Keyring.create(id == null ? newId(now) : id, now, new SecureRandom());
            } catch (Keyring.KeyringException e) {
                spec.commandLine().getErr().println("vigil keys create: " + e.getMessage());
                return ExitCodes.USAGE;
            }
            keyring.save(file);
            PrintWriter out = spec.commandLine().getOut();
            out.println("created " + file + " (mode 0600) with key " + keyring.active() + ", active");
            out.println("back it up somewhere other than the repository: without it nothing encrypted can be read");
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "rotate",
            mixinStandardHelpOptions = true,
            header = "Add a new key to the keyring and make it the active one.",
            description = "Add a new key to the configured keyring and make it active: objects written from now on"
                    + " are wrapped under it; every older key stays, so everything written before still opens."
                    + " Running daemons and workers use the new key when they next open the repository (restart"
                    + " them to switch at once). Back the keyring up again.",
            footerHeading = "%nExample:%n",
            footer = "  vigil keys rotate --config /etc/vigil/vigil.yaml",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {
                "0:rotated",
                "2:usage or configuration error, or encryption is not configured",
                "3:cannot write it"
            })
    static final class Rotate implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        ConfigOption config;

        @Option(names = "--id", paramLabel = "ID", description = "The new key's id (default k-<UTC time>).")
        String id;

        @Override
        public Integer call() throws ConfigException, IOException {
            EncryptionConfig encryption = requireEncryption(spec, config.load(), "rotate");
            if (encryption.keyring().isEmpty()) {
                spec.commandLine()
                        .getErr()
                        .println("vigil keys rotate: the keys are in KMS (" + encryption.describeKeys() + "), which"
                                + " rotates their material itself (aws kms enable-key-rotation); to move to another"
                                + " key, set encryption.kms-key-id to its ARN: every object names the key that"
                                + " wrapped it and opens while that key is enabled");
                return ExitCodes.USAGE;
            }
            Path file = encryption.keyring().get();
            Instant now = Clock.systemUTC().instant();
            // Held from reading the keyring to replacing it: a second rotation at once waits its turn instead of
            // writing over a key the first one added (objects may already be wrapped under it).
            try (DirectoryLock lock = DirectoryLock.acquireBeside(file, "keyring", "vigil keys rotate", now)) {
                return lock.isHeld() ? rotate(file, now) : ExitCodes.FAILURE;
            }
        }

        private Integer rotate(Path file, Instant now) throws IOException {
            Keyring keyring = Keyring.load(file);
            String newId = id == null ? newId(now) : id;
            Keyring rotated;
            try {
                rotated = keyring.rotate(newId, now, new SecureRandom());
            } catch (Keyring.KeyringException e) {
                spec.commandLine().getErr().println("vigil keys rotate: " + e.getMessage());
                return ExitCodes.USAGE;
            }
            rotated.save(file);
            PrintWriter out = spec.commandLine().getOut();
            out.println("key " + newId + " added to " + file + " and active (was " + keyring.active() + "); "
                    + rotated.keys().size() + " keys, none removed");
            out.println("back the keyring up again; restart daemons and workers to use the new key at once");
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            header = "List the keyring's keys: id, created, which is active.",
            description = "List the configured keyring's keys (id, creation time, which one is active); never their"
                    + " material.",
            footerHeading = "%nExample:%n",
            footer = "  vigil keys list --config /etc/vigil/vigil.yaml",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:listed", "2:usage or configuration error, or encryption is not configured"})
    static final class ListKeys implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        ConfigOption config;

        @Override
        public Integer call() throws ConfigException, IOException {
            EncryptionConfig encryption = requireEncryption(spec, config.load(), "list");
            PrintWriter out = spec.commandLine().getOut();
            out.println(encryption.describeKeys() + ", repository id " + encryption.repositoryId());
            if (encryption.keyring().isEmpty()) {
                out.println("  the key material is in KMS; objects name the key that wrapped them");
                return ExitCodes.OK;
            }
            Keyring keyring = Keyring.load(encryption.keyring().get());
            for (Keyring.Key key : keyring.keys()) {
                out.printf(
                        "  %-24s created %s%s%n",
                        key.id(), key.created(), key.id().equals(keyring.active()) ? "  (active)" : "");
            }
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "check",
            mixinStandardHelpOptions = true,
            header = "Prove that every object in the repository opens with the keys configured now.",
            description = "Read the encryption header of every object in the repository (its first bytes only) and"
                    + " prove that its data key opens with a key of the configured keyring. Names each object whose"
                    + " key is missing or does not open, with the key id, and counts objects per key and those"
                    + " written before encryption was switched on. Bodies are proven by vigil verify archive.",
            footerHeading = "%nExample:%n",
            footer = "  vigil keys check --config /etc/vigil/vigil.yaml",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {
                "0:every encrypted object opens",
                "1:objects whose key is missing or does not open, or whose header is damaged (each named)",
                "2:usage or configuration error, or encryption is not configured",
                "3:the repository could not be read"
            })
    static final class Check implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        ConfigOption config;

        @Override
        public Integer call() throws ConfigException, IOException {
            VigilConfig loaded = config.load();
            requireEncryption(spec, loaded, "check");
            PrintWriter out = spec.commandLine().getOut();
            KeyAudit.Result audit;
            try (ObjectStore store = Repositories.open(loaded, Clock.systemUTC())) {
                EncryptingObjectStore encrypted = (EncryptingObjectStore) store;
                audit = KeyAudit.run(encrypted);
                out.println("repository " + store.describe() + ", " + encrypted.describeKeys());
            }
            Map<String, Integer> byKey = audit.byKey();
            List<KeyCheck> problems = audit.problems();
            byKey.forEach((key, n) -> out.println("  " + n + " object(s) open under key " + key));
            out.println("  " + audit.count(KeyCheck.State.PLAINTEXT)
                    + " object(s) in plaintext (written before encryption was switched on)");
            for (KeyCheck problem : problems) {
                out.println("  " + problem.state() + " " + problem.key()
                        + (problem.keyId().isEmpty() ? "" : " (key " + problem.keyId() + ")") + ": "
                        + problem.detail());
            }
            if (!problems.isEmpty()) {
                out.println("NOT OK: " + problems.size() + " object(s) cannot be opened with the keys configured"
                        + " now; put the missing keys back in the keyring from its backup (keys objects need must"
                        + " never be dropped)");
                return ExitCodes.FINDINGS;
            }
            out.println("OK: every encrypted object opens with the keys configured now");
            return ExitCodes.OK;
        }
    }

    private static EncryptionConfig requireEncryption(
            CommandLine.Model.CommandSpec spec, VigilConfig config, String command) {
        return config.encryption()
                .orElseThrow(() -> new CommandLine.ParameterException(
                        spec.commandLine(),
                        "vigil keys " + command + ": encryption is not configured (add encryption: with keyring and"
                                + " repository-id to the configuration)"));
    }
}
