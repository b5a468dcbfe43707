package dev.vigil.cli;

import dev.vigil.cli.daemon.Service;
import dev.vigil.core.PartitionId;
import dev.vigil.core.repository.RepositoryJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine;

/**
 * What several commands do the same way: reading {@code --partition}, printing {@code --json}, serving a daemon or
 * worker until it is stopped.
 */
final class CommandSupport {

    private CommandSupport() {}

    /** The {@code --partition} value, validated; empty when the option was not given. */
    static Optional<PartitionId> partition(CommandLine.Model.CommandSpec spec, String value) {
        if (value == null) {
            return Optional.empty();
        }
        if (!PartitionId.isValid(value)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--partition: '" + value
                            + "' is not a valid partition id (1 to 128 characters from [A-Za-z0-9._-])");
        }
        return Optional.of(PartitionId.of(value));
    }

    /** Prints a report as indented JSON (records, lists, maps, {@code Optional}s). */
    static void printJson(PrintWriter out, Object value) throws IOException {
        out.println(RepositoryJson.PRETTY.writeValueAsString(value));
    }

    /**
     * Serves a started {@code service} until it is stopped: SIGTERM or Ctrl-C stop it, and so does any other way out
     * of the JVM (SIGHUP, {@code System.exit}) through a shutdown hook. Prints "{@code what} running{@code where};
     * health and metrics on http://host:port/" at once and "{@code what} stopped cleanly [on SIGNAL]" at the end.
     *
     * @return {@link ExitCodes#OK}: a requested stop is a clean one
     */
    static int serveUntilStopped(
            CommandLine.Model.CommandSpec spec,
            Service service,
            VigilServices services,
            String what,
            String where,
            String httpHost)
            throws InterruptedException {
        Runtime.getRuntime()
                .addShutdownHook(Thread.ofPlatform().name("vigil-shutdown").unstarted(service::stop));
        PrintWriter out = spec.commandLine().getOut();
        try (StopSignals signals = new StopSignals("vigil-stop", service::stop)) {
            out.printf(
                    "%s running%s; health and metrics on http://%s:%d/%n", what, where, httpHost, service.httpPort());
            out.flush();
            service.awaitStopped();
            // What is left of the shutdown timeout is for delivering the alerts raised meanwhile (closed next).
            services.alerts().closeWithin(service.shutdownLeft());
            out.printf("%s stopped cleanly%s%n", what, signals.received() == null ? "" : " on " + signals.received());
            out.flush();
            return ExitCodes.OK;
        }
    }
}
