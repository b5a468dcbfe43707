package dev.vigil.cli;

import dev.vigil.core.PartitionId;
import dev.vigil.core.repository.RepositoryJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine;

/** What several commands do the same way: reading {@code --partition}, printing {@code --json}. */
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
}
