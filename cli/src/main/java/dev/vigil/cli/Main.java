package dev.vigil.cli;

import dev.vigil.cli.config.ConfigException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vigil} command. */
@Command(
        name = "vigil",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Vigil keeps replicated storage honest: it archives WAL, verifies replicas and archives, restores"
                + " partitions to a point in time, and proves all of it in compliance reports.",
        subcommands = {
            DaemonCommand.class,
            WorkerCommand.class,
            ArchiveCommand.class,
            ScrubCommand.class,
            VerifyCommand.class,
            BuildReferenceCommand.class,
            RestoreCommand.class,
            DrillCommand.class,
            RetentionCommand.class,
            ReportCommand.class,
            StatusCommand.class,
            AckCommand.class,
            InspectCommand.class,
            CheckConfigCommand.class,
            KeysCommand.class,
            AuditCommand.class,
            HelpCommand.class
        },
        footerHeading = "%nRun 'vigil help COMMAND' (or 'vigil COMMAND --help') for a command's options, exit codes and"
                + " examples.%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:ok",
            "1:findings (corruption, divergence, gaps)",
            "2:usage or configuration error",
            "3:runtime failure"
        })
public final class Main implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(
                args,
                new PrintWriter(new OutputStreamWriter(System.out, System.out.charset()), true),
                new PrintWriter(new OutputStreamWriter(System.err, System.err.charset()), true)));
    }

    /** Runs a command line with the given output streams; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, err, List.of());
    }

    /**
     * As {@link #run(String[], PrintWriter, PrintWriter)}, with more subcommands than the product's (the demo's
     * {@code demo} and {@code demo-node}, which live in their own module so the product carries none of their parts).
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err, List<Class<?>> moreCommands) {
        CommandLine commandLine = new CommandLine(new Main());
        moreCommands.forEach(command -> commandLine.addSubcommand(command));
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            if (exception instanceof ConfigException config) {
                cmd.getErr().println("vigil: configuration error in " + config.getMessage());
                return ExitCodes.USAGE;
            }
            cmd.getErr().println("vigil " + cmd.getCommandName() + ": " + describe(exception));
            return ExitCodes.FAILURE;
        });
        return commandLine.execute(args);
    }

    private static String describe(Throwable exception) {
        String message = exception.getMessage();
        String text = message == null ? exception.getClass().getSimpleName() : message;
        if (exception.getCause() != null
                && exception.getCause().getMessage() != null
                && !text.contains(exception.getCause().getMessage())) {
            text += " (" + exception.getCause().getMessage() + ")";
        }
        return text;
    }

    /** {@code vigil} alone: it was asked for nothing, so it says what it can do and exits as for a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
