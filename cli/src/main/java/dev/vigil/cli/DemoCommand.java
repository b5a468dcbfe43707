package dev.vigil.cli;

import dev.vigil.core.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.quartz.SchedulerException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil demo}: Vigil's main job on embedded defaults, explained as it runs. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run Vigil on embedded defaults and explain what it does: three storage nodes replicate a",
                "partition under continuous writes, a Vigil daemon runs beside each on an accelerated schedule; the demo",
                "plants a lost write, archive damage and bit rot, shows the alerts and key-level verdicts as they arrive,",
                "restores a verified point in time and writes a compliance report. Takes about a minute."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the demo ran and Vigil found every injected problem", "1:Vigil missed an injected problem",
                "3:the demo could not run"})
final class DemoCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Directory for the demo's node, repository and work files (default: a new temporary directory).")
    Path directory;

    @Option(names = "--seed", description = "Seed of the simulated workload (default: ${DEFAULT-VALUE}).", defaultValue = "7")
    long seed;

    @Override
    public Integer call() throws IOException, ConfigException, SchedulerException {
        Path dir = directory != null ? Files.createDirectories(directory) : Files.createTempDirectory("vigil-demo-");
        Path repository = dir.resolve("repository");
        return new Demo(spec.commandLine().getOut(), dir, Clock.systemUTC(), seed)
                .run("  url: " + repository.toUri() + "\n", repository.toUri().toString());
    }
}
