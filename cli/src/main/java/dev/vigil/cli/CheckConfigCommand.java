package dev.vigil.cli;

import dev.vigil.cli.config.ConfigException;
import dev.vigil.core.config.AuditConfig;
import dev.vigil.core.config.NodeConfig;
import dev.vigil.core.config.RepositoryLocation;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.store.S3ServerSideEncryption;
import dev.vigil.core.store.StoreGuarantees;
import dev.vigil.core.store.StoreProbe;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code vigil check-config --config FILE [--connect]}: validate a configuration file without starting anything;
 * with {@code --connect}, also prove that the repository and the node's roots work.
 */
@Command(
        name = "check-config",
        mixinStandardHelpOptions = true,
        header = "Validate a configuration file, and with --connect prove the repository works.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  vigil check-config --config /etc/vigil/vigil.yaml",
            "  vigil check-config --config /etc/vigil/vigil.yaml --connect"
        },
        description = {
            "Validate a configuration file and list every problem in it. With --connect, also prove that the"
                    + " repository can be listed, written, read and deleted (with a small probe object, removed after),"
                    + " that Object Lock is there when retention.object-lock asks for it, that the node's roots exist,"
                    + " that the work directory can be written (and who holds it), that the fleet database accepts the"
                    + " configured user and the password from the environment, and that every alert receiver answers"
                    + " (no alert is sent)."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:valid (and, with --connect, everything it reaches works)",
            "2:invalid (every problem is listed), or a node root does not exist",
            "3:with --connect: the repository cannot be listed, written, read or deleted (the step and the"
                    + " store's reason are named), or the work directory, the fleet database or an alert receiver"
                    + " failed its check (each named)"
        })
final class CheckConfigCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ConfigOption config;

    @CommandLine.Option(
            names = "--connect",
            description = "Also reach the repository (list, write, read and delete a"
                    + " probe object under probes/) and check that the node's roots exist.")
    boolean connect;

    @Override
    public Integer call() throws ConfigException, IOException {
        VigilConfig loaded = config.load();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%s is valid%n", config.file);
        out.printf("repository  %s%n", loaded.repository().url());
        out.printf(
                "node        %s%n",
                loaded.node()
                        .map(n -> n.replica() + " with roots " + n.roots())
                        .orElse("(none: this machine only verifies and restores)"));
        out.printf("work-dir    %s%n", loaded.workDir());
        out.printf("alerts      %d sink(s)%n", loaded.alerts().size());
        if (!connect) {
            return ExitCodes.OK;
        }
        PrintWriter err = spec.commandLine().getErr();
        int result = ExitCodes.OK;
        for (Path root : loaded.node().map(NodeConfig::roots).orElse(List.of())) {
            if (!Files.isDirectory(root)) {
                err.printf(
                        "vigil check-config: node root %s %s; fix node.roots or create it%n",
                        root, Files.exists(root) ? "is not a directory" : "does not exist");
                result = ExitCodes.USAGE;
            } else if (!Files.isReadable(root)) {
                err.printf(
                        "vigil check-config: node root %s cannot be read by this user; see docs/operations.md,"
                                + " Permissions%n",
                        root);
                result = ExitCodes.USAGE;
            } else {
                out.printf("root        %s exists%n", root);
            }
        }
        if (loaded.repository() instanceof RepositoryLocation.Local local && !Files.isDirectory(local.root())) {
            // Nothing to probe, and creating it here could make a mistyped path look right: not a pass.
            err.printf(
                    "vigil check-config: repository %s does not exist, so it could not be probed; create it (mkdir -p"
                            + " %s) if this is a new repository, or fix repository.url%n",
                    local.root(), local.root());
            return ExitCodes.FAILURE;
        }
        try (VigilServices services = new VigilServices(loaded, Clock.systemUTC())) {
            try {
                StoreProbe.Result probe =
                        new StoreProbe(services.store(), Clock.systemUTC(), new SplittableRandom()).run();
                probe.steps().forEach(step -> out.printf("connect     %s%n", step));
                out.printf("connect     ok in %d ms%n", probe.elapsed().toMillis());
                loaded.encryption()
                        .ifPresent(encryption -> out.printf(
                                "encryption  client-side under %s, repository id %s: the probe object above was"
                                        + " encrypted, read back and decrypted%n",
                                encryption.describeKeys(), encryption.repositoryId()));
                if (loaded.encryption().isPresent()) {
                    // A key that objects still need, dropped from the keyring: named now, not at a restore.
                    ScheduledKeyCheck.Outcome keys = services.keyCheck().check();
                    if (keys.problems() > 0) {
                        throw new StoreProbe.ProbeFailure("keys: " + keys.summary() + ", e.g. "
                                + String.join(", ", keys.named()) + "; put the key back into the keyring from its"
                                + " backup ('vigil keys check' names every object)");
                    }
                    out.printf("keys        %s%n", keys.summary());
                }
                if (loaded.repository() instanceof RepositoryLocation.S3 s3
                        && s3.settings().serverSide().mode() != S3ServerSideEncryption.Mode.NONE) {
                    out.printf(
                            "encryption  server-side %s, as the server confirmed for the probe object%n",
                            s3.settings().serverSide().describe());
                }
            } finally {
                // What the store was found to guarantee, also when a step failed (a refusal is named there too).
                printGuarantees(services, out);
            }
            Optional<String> refusal = services.store().guarantees().refusal();
            if (refusal.isPresent()) {
                throw new StoreProbe.ProbeFailure(refusal.get());
            }
            if (loaded.retention().objectLock()) {
                services.requireObjectLockIfConfigured();
                out.println("object lock enabled on the bucket, as retention.object-lock asks");
            }
        } catch (StoreProbe.ProbeFailure e) {
            err.println("vigil check-config: " + e.getMessage());
            result = ExitCodes.FAILURE;
        }
        // Every other section that reaches out: each is named with what was proven, or why it failed.
        List<ConnectCheck.Outcome> outcomes = new ArrayList<>();
        outcomes.add(ConnectCheck.workDir(loaded.workDir(), Clock.systemUTC().instant()));
        loaded.audit()
                .flatMap(AuditConfig::witness)
                .ifPresent(witness -> outcomes.add(ConnectCheck.witness(loaded, witness)));
        loaded.fleet().ifPresent(fleet -> outcomes.add(ConnectCheck.fleetDatabase(fleet, System.getenv())));
        loaded.alerts().forEach(sink -> outcomes.add(ConnectCheck.alertSink(sink)));
        for (ConnectCheck.Outcome outcome : outcomes) {
            if (outcome.ok()) {
                out.printf("%-11s %s%n", outcome.section(), outcome.text());
            } else {
                err.printf("vigil check-config: %s: %s%n", outcome.section(), outcome.text());
                result = ExitCodes.FAILURE;
            }
        }
        return result;
    }

    /** The store's guarantees table, when they can be found out; nothing (the failure says why) otherwise. */
    private static void printGuarantees(VigilServices services, PrintWriter out) {
        StoreGuarantees guarantees;
        try {
            guarantees = services.store().guarantees();
        } catch (IOException e) {
            return;
        }
        out.printf(
                "guarantees  what %s was found to do%s, and what Vigil does:%n",
                guarantees.store(),
                guarantees.probedAt().map(at -> " (probed " + at + ")").orElse(""));
        guarantees.table().forEach(line -> out.printf("            %s%n", line));
        guarantees.warnings().forEach(warning -> out.printf("WARNING     %s%n", warning));
    }
}
