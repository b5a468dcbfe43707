package dev.vigil.cli;

import dev.vigil.demo.node.SimulatedReplica;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the configuration of a Vigil beside one simulated node, for CLI tests. */
final class NodeConfigs {

    private NodeConfigs() {}

    /** A local-directory repository at {@code repository}; {@code extra} is appended as top-level YAML. */
    static Path local(Path file, Path repository, Path workDir, SimulatedReplica node, String extra)
            throws IOException {
        return write(file, "  url: " + repository.toUri() + "\n", workDir, node, extra);
    }

    /** {@code repositoryBlock}: the lines under {@code repository:}, indented by two spaces. */
    static Path write(Path file, String repositoryBlock, Path workDir, SimulatedReplica node, String extra)
            throws IOException {
        return Files.writeString(
                file, "repository:\n" + repositoryBlock + """
                work-dir: %s
                node:
                  replica: %s
                  roots: [%s]
                %s
                """.formatted(workDir, node.id(), node.root(), extra));
    }
}
