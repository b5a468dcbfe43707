package dev.vigil.cli;

import dev.vigil.cli.config.ConfigLoader;
import dev.vigil.cli.daemon.Daemon;
import dev.vigil.core.config.VigilConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/** A node daemon in this JVM, built as {@code vigil daemon} builds it; closed by the test. */
record RunningDaemon(Daemon daemon, VigilServices services) implements AutoCloseable {

    static RunningDaemon start(Path config) throws Exception {
        VigilConfig loaded = ConfigLoader.load(config);
        String replica = loaded.node().orElseThrow().replica().value();
        VigilServices services = new VigilServices(
                loaded, Clock.systemUTC(), VigilServices.Role.NODE_AGENT, "vigil daemon for node " + replica);
        services.requireStoreGuarantees(); // as 'vigil daemon' does before it starts
        services.registerProcessMetrics();
        Daemon daemon = Daemon.start(
                replica,
                services.daemonServices(),
                loaded.schedule(),
                loaded.daemon(),
                loaded.fleet().isEmpty(),
                services.metrics(),
                services.alerts(),
                services.clock());
        return new RunningDaemon(daemon, services);
    }

    int port() {
        return daemon.httpPort();
    }

    /** Stops it as {@code vigil daemon} does on SIGTERM: the daemon, then alerts within what is left, then the rest. */
    @Override
    public void close() throws IOException {
        daemon.stop();
        try {
            daemon.awaitStopped();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        services.alerts().closeWithin(daemon.shutdownLeft());
        services.close();
    }
}
