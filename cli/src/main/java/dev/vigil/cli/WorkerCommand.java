package dev.vigil.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.vigil.cli.config.ConfigException;
import dev.vigil.cli.daemon.Worker;
import dev.vigil.core.Errors;
import dev.vigil.core.Urls;
import dev.vigil.core.config.FleetConfig;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.io.ProcessTag;
import dev.vigil.fleet.FleetDatabase;
import dev.vigil.fleet.ReadBudget;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code vigil worker}: one worker of the verification fleet, until SIGTERM. */
@Command(
        name = "worker",
        mixinStandardHelpOptions = true,
        header = "Run a verification fleet worker until stopped: replay and judge partitions, fleet-wide jobs.",
        footerHeading = "%nExample:%n",
        footer = {"  vigil worker --config /etc/vigil/worker.yaml"},
        description = {
            "Join the verification fleet named by the configuration's fleet: section (a PostgreSQL database shared by"
                    + " all workers): verify each partition in the repository in turn (replay its archive into this"
                    + " worker's reference and judge every replica's scrub reports), and run archive verification,"
                    + " retention, restore drills and compliance reports once fleet-wide on their schedules. Serves"
                    + " /health and /metrics on daemon.http-port. No node: section is needed. The database password"
                    + " comes from VIGIL_FLEET_PASSWORD, PGPASSWORD or ~/.pgpass. SIGTERM (or Ctrl-C) stops it"
                    + " within daemon.shutdown-timeout; a task cut short is taken over by another worker."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:stopped on request (SIGTERM or Ctrl-C) after a clean stop",
            "2:usage or configuration error (no fleet: section)",
            "3:could not start (the database unreachable, the port taken)"
        })
final class WorkerCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ConfigOption config;

    @Override
    public Integer call() throws Exception {
        VigilConfig loaded = config.load();
        FleetConfig fleet = loaded.fleet()
                .orElseThrow(() -> new ConfigException(
                        "configuration",
                        List.of("fleet: is required by 'vigil worker' (the database the workers share): set"
                                + " fleet.jdbc-url")));
        ProcessTag self = ProcessTag.current();
        String name = fleet.workerName().orElse(self.host() + "-" + self.pid());
        ReadBudget budget = new ReadBudget(fleet.readBudget());
        try (VigilServices services =
                        VigilServices.forWorker(loaded, Clock.systemUTC(), budget, "vigil worker " + name);
                HikariDataSource database = FleetDatabase.dataSource(fleet, System.getenv());
                HikariDataSource figures = FleetDatabase.figures(fleet, System.getenv())) {
            services.requireObjectLockIfConfigured();
            services.requireStoreGuarantees();
            services.registerProcessMetrics();
            Worker worker;
            try {
                worker = Worker.start(
                        name,
                        services.workerServices(database, figures, budget),
                        fleet,
                        loaded.schedule(),
                        loaded.daemon(),
                        services.metrics(),
                        services.alerts(),
                        services.clock());
            } catch (SQLException e) {
                spec.commandLine()
                        .getErr()
                        .println("vigil worker: cannot use the fleet database " + Urls.forDisplay(fleet.jdbcUrl())
                                + ": "
                                + Errors.messageWithCauses(e) + "; check fleet.jdbc-url and fleet.user, the password"
                                + " (VIGIL_FLEET_PASSWORD, PGPASSWORD or ~/.pgpass), and that PostgreSQL is running");
                return ExitCodes.FAILURE;
            }
            return CommandSupport.serveUntilStopped(
                    spec,
                    worker,
                    services,
                    "vigil worker " + name,
                    " in the fleet at " + Urls.forDisplay(fleet.jdbcUrl()),
                    loaded.daemon().httpHost());
        }
    }
}
