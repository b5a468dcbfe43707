package dev.vigil.cli;

import dev.vigil.cli.config.ConfigException;
import dev.vigil.cli.config.ConfigLoader;
import dev.vigil.core.config.VigilConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option every command that works on a deployment takes (a picocli mixin). */
final class ConfigOption {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The YAML configuration file.")
    Path file;

    /** Loads and validates the file, listing every problem at once. */
    VigilConfig load() throws ConfigException {
        return ConfigLoader.load(file);
    }
}
