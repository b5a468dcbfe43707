package dev.vigil.demoapp;

import dev.vigil.cli.VigilServices;
import dev.vigil.cli.config.ConfigException;
import dev.vigil.cli.config.ConfigLoader;
import dev.vigil.cli.daemon.Daemon;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.io.Closer;
import dev.vigil.demo.node.SimulatedReplica;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.quartz.SchedulerException;

/**
 * One Vigil daemon beside each of the demo's storage nodes, in this process: each from its own configuration file
 * (written where the user can read and reuse it, e.g. with {@code vigil status --config}), on an accelerated
 * schedule, with its own work directory and Quartz scheduler. Closing stops every daemon and closes its services.
 */
final class DemoNodes implements AutoCloseable {

    /**
     * The daemon's jobs at demo speed: archive every second, verify the archive every 5 s, scrub every 10 s, judge
     * every 5 s, a restore drill every 20 s (compare {@code ScheduleConfig}'s production defaults).
     */
    static final String SCHEDULE = """
            schedule:
              archive: "* * * * * ?"
              verify-archive: "0/5 * * * * ?"
              scrub: "2/10 * * * * ?"
              judge: "4/5 * * * * ?"
              restore-drill: "9/20 * * * * ?"
            verify:
              period: 1s
            scrub:
              rate: 0
              checkpoint-ttl: 10m
            archive:
              continuity-check-interval: 2s
            reference:
              snapshot-every: 2MiB
            daemon:
              http-port: 0
              shutdown-timeout: 10s
            """;

    private final Map<String, VigilServices> services = new LinkedHashMap<>();
    private final Map<String, Daemon> daemons = new LinkedHashMap<>();
    private final List<Path> configs = new ArrayList<>();

    private DemoNodes() {}

    /**
     * {@code repositoryBlock}: the YAML lines under {@code repository:}, indented by two spaces; {@code sections}:
     * further top-level sections: {@code encryption:}, and {@code fleet:} (the daemons then only archive and scrub).
     */
    static DemoNodes start(
            Path dir, List<SimulatedReplica> replicas, String repositoryBlock, String sections, Clock clock)
            throws IOException, ConfigException, SchedulerException {
        DemoNodes nodes = new DemoNodes();
        try {
            Files.createDirectories(dir.resolve("config"));
            for (SimulatedReplica replica : replicas) {
                Path file = dir.resolve("config").resolve(replica.id() + ".yaml");
                Files.writeString(
                        file,
                        "# Vigil beside demo storage node " + replica.id() + "\nrepository:\n" + repositoryBlock
                                + "work-dir: "
                                + dir.resolve("work").resolve(replica.id().value()) + "\nnode:\n  replica: "
                                + replica.id() + "\n  roots: [" + replica.root() + "]\n" + sections + SCHEDULE
                                + "alerts:\n  - type: jsonl\n    path: "
                                + dir.resolve("alerts").resolve(replica.id() + ".jsonl") + "\n");
                nodes.configs.add(file);
                VigilConfig config = ConfigLoader.load(file);
                VigilServices node = new VigilServices(
                        config, clock, VigilServices.Role.NODE_AGENT, "vigil demo daemon for node " + replica.id());
                nodes.services.put(replica.id().value(), node);
                nodes.daemons.put(
                        replica.id().value(),
                        Daemon.start(
                                replica.id().value(),
                                node.daemonServices(),
                                config.schedule(),
                                config.daemon(),
                                config.fleet().isEmpty(),
                                node.metrics(),
                                node.alerts(),
                                clock));
            }
            return nodes;
        } catch (IOException | ConfigException | SchedulerException | RuntimeException e) {
            try {
                nodes.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    VigilServices services(String replica) {
        VigilServices found = services.get(replica);
        if (found == null) {
            throw new IllegalArgumentException("the demo has no node " + replica + "; it has " + services.keySet());
        }
        return found;
    }

    List<Path> configs() {
        return List.copyOf(configs);
    }

    /** The port of each daemon's /health and /metrics endpoint. */
    Map<String, Integer> ports() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        daemons.forEach((replica, daemon) -> ports.put(replica, daemon.httpPort()));
        return ports;
    }

    /** Stops every daemon (each waits for its running jobs) and closes its services; keeps every failure. */
    @Override
    public void close() throws IOException {
        for (Daemon daemon : daemons.values()) {
            daemon.stop();
        }
        Closer closer = new Closer();
        for (VigilServices node : services.values()) {
            closer.register(node);
            closer.register(() -> node.shutdown(Duration.ZERO)); // runs first: uploads stop before the services close
        }
        closer.close();
    }
}
