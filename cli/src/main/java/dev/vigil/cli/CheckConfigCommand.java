package dev.vigil.cli;

import dev.vigil.core.config.ConfigException;
import dev.vigil.core.config.VigilConfig;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code vigil check-config --config FILE}: validate a configuration file without starting anything. */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Validate a configuration file and list every problem in it.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:valid", "2:invalid (every problem is listed)"})
final class CheckConfigCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ConfigOption config;

    @Override
    public Integer call() throws ConfigException {
        VigilConfig loaded = config.load();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%s is valid%n", config.file);
        out.printf("repository  %s%n", loaded.repository().url());
        out.printf("node        %s%n", loaded.node().map(n -> n.replica() + " with roots " + n.roots())
                .orElse("(none: this machine only verifies and restores)"));
        out.printf("work-dir    %s%n", loaded.workDir());
        out.printf("alerts      %d sink(s)%n", loaded.alerts().size());
        return ExitCodes.OK;
    }
}
