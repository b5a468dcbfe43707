package dev.vigil.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil help [COMMAND [SUBCOMMAND...]]}: the help of the command named by the whole path, so that {@code vigil
 * help verify archive} shows {@code verify archive}'s options, not {@code verify}'s (picocli's own help command reads
 * one name only). An unknown name is a usage error that lists what there is.
 */
@Command(
        name = "help",
        header = "Show the help of a command, or of a subcommand given by its whole path.",
        helpCommand = true,
        footerHeading = "%nExamples:%n",
        footer = {"  vigil help restore", "  vigil help verify archive"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the help was shown", "2:no such command"})
final class HelpCommand implements CommandLine.IHelpCommandInitializable2, Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command, and its subcommands, to explain.")
    List<String> path = new ArrayList<>();

    private @Nullable CommandLine parent;
    private PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    private CommandLine.Help.Ansi ansi = CommandLine.Help.Ansi.OFF;

    @Override
    public void init(
            CommandLine helpCommandLine,
            CommandLine.Help.ColorScheme colorScheme,
            PrintWriter outWriter,
            PrintWriter errWriter) {
        CommandLine root = helpCommandLine.getParent();
        this.parent = root == null ? helpCommandLine : root;
        this.out = outWriter;
        this.ansi = colorScheme.ansi();
    }

    @Override
    public void run() {
        CommandLine command = parent;
        if (command == null) {
            throw new IllegalStateException("picocli runs the help command only after init()");
        }
        List<String> walked = new ArrayList<>();
        for (String name : path) {
            CommandLine next = command.getSubcommands().get(name);
            if (next == null) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "no command '" + String.join(" ", append(walked, name)) + "'; "
                                + (walked.isEmpty() ? "vigil" : "vigil " + String.join(" ", walked)) + " has: "
                                + String.join(
                                        ", ",
                                        command.getSubcommands().keySet().stream()
                                                .filter(n -> !n.equals("help"))
                                                .toList()));
            }
            walked.add(name);
            command = next;
        }
        command.usage(out, ansi);
    }

    private static List<String> append(List<String> names, String name) {
        List<String> all = new ArrayList<>(names);
        all.add(name);
        return all;
    }
}
