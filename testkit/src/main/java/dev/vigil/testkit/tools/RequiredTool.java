package dev.vigil.testkit.tools;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A program a test needs from the machine (promtool, Prometheus, Alertmanager, RocksDB's ldb), found on the
 * {@code PATH}. In CI ({@code CI} set in the environment, as {@code .ci/run} and every CI service set it) a missing
 * tool fails the test, because {@code .ci/run} installs every one: a test never skips there. On a developer's machine
 * it is skipped, with the package that provides it.
 */
public final class RequiredTool {

    private RequiredTool() {}

    /**
     * The tool's path.
     *
     * @param name    the program ({@code prometheus-alertmanager})
     * @param install how to get it ({@code apt-get install prometheus-alertmanager})
     */
    public static Path find(String name, String install) {
        Optional<Path> found = onPath(name);
        if (found.isPresent()) {
            return found.get();
        }
        String message = name + " is not installed (" + install + ")";
        if (System.getenv("CI") != null) {
            return Assertions.fail(message + ": in CI every tool a test needs is installed by .ci/run");
        }
        Assumptions.abort(message + ": test skipped on this machine (it runs in CI)");
        throw new AssertionError("unreachable");
    }

    /** The program's path on the {@code PATH}, if it is there. */
    public static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String directory : path.split(File.pathSeparator, -1)) {
            if (directory.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(directory, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
