package dev.vigil.cli.daemon;

import java.time.Duration;

/** A started long-running process role (a node daemon, a fleet worker): stopped once, awaited by its command. */
public interface Service {

    /** The port of its {@code /health} and {@code /metrics}. */
    int httpPort();

    /** Stops within the shutdown timeout; idempotent, callable from any thread (a signal handler, a shutdown hook). */
    void stop();

    /** Blocks until {@link #stop} has finished. */
    void awaitStopped() throws InterruptedException;

    /**
     * What is left of the shutdown timeout once {@link #stop} has finished, for what the command closes after it
     * (delivering the alerts raised meanwhile, closing the store).
     */
    Duration shutdownLeft();
}
