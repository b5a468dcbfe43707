package dev.vigil.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code vigil verify}: prove that what Vigil keeps is still right. */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        header = "Prove that what Vigil keeps is still right.",
        description = "Prove that what Vigil keeps is still right.",
        subcommands = {VerifyArchiveCommand.class, VerifyReplicasCommand.class})
final class VerifyCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "name what to verify, e.g. 'vigil verify archive'");
    }
}
