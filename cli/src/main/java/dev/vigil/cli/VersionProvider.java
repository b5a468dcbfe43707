package dev.vigil.cli;

import dev.vigil.core.VigilVersion;
import picocli.CommandLine;

/** The version the build recorded. */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {"vigil " + VigilVersion.version()};
    }
}
