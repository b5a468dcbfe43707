package dev.vigil.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code vigil inspect}: look inside Vigil's files. */
@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        header = "Look inside Vigil's files.",
        description = "Look inside Vigil's files.",
        subcommands = {InspectSegmentCommand.class})
final class InspectCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "name what to inspect, e.g. 'vigil inspect segment FILE'");
    }
}
