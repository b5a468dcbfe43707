package dev.vigil.cli;

import dev.vigil.cli.daemon.Daemon;
import dev.vigil.core.config.VigilConfig;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code vigil daemon}: run beside a storage node until SIGTERM. */
@Command(
        name = "daemon",
        mixinStandardHelpOptions = true,
        header = "Run beside a storage node until stopped: archive, scrub, verify, alert.",
        footerHeading = "%nExample:%n",
        footer = {"  vigil daemon --config /etc/vigil/vigil.yaml"},
        description = {
            "Run beside a storage node: archive sealed WAL on the configured schedule, raise alerts, and serve"
                    + " /health and /metrics. SIGTERM (or Ctrl-C) stops it gracefully within daemon.shutdown-timeout."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:stopped on request (SIGTERM or Ctrl-C) after a clean stop",
            "2:usage or configuration error",
            "3:could not start"
        })
final class DaemonCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ConfigOption config;

    @Override
    public Integer call() throws Exception {
        VigilConfig loaded = config.load();
        VigilServices.requireNode(loaded, "vigil daemon");
        try (VigilServices services = new VigilServices(
                loaded,
                Clock.systemUTC(),
                VigilServices.Role.NODE_AGENT,
                "vigil daemon for node " + loaded.node().orElseThrow().replica())) {
            services.requireObjectLockIfConfigured();
            services.requireStoreGuarantees();
            services.registerProcessMetrics();
            Daemon daemon = Daemon.start(
                    loaded.node().orElseThrow().replica().value(),
                    services.daemonServices(),
                    loaded.schedule(),
                    loaded.daemon(),
                    loaded.fleet().isEmpty(),
                    services.metrics(),
                    services.alerts(),
                    services.clock());
            return CommandSupport.serveUntilStopped(
                    spec,
                    daemon,
                    services,
                    "vigil daemon for node " + loaded.node().orElseThrow().replica(),
                    "",
                    loaded.daemon().httpHost());
        }
    }
}
