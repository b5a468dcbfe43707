package dev.vigil.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.vigil.cli.config.ConfigLoader;
import dev.vigil.cli.daemon.Worker;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.fleet.FleetDatabase;
import dev.vigil.fleet.ReadBudget;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** A fleet worker in this JVM, built as {@code vigil worker} builds it; closed by the test. */
record RunningWorker(Worker worker, VigilServices services, HikariDataSource database, HikariDataSource figures)
        implements AutoCloseable {

    static RunningWorker start(Path config, String name) throws Exception {
        VigilConfig loaded = ConfigLoader.load(config);
        VigilServices services =
                new VigilServices(loaded, Clock.systemUTC(), VigilServices.Role.WORKER, "vigil worker " + name);
        HikariDataSource database = FleetDatabase.dataSource(loaded.fleet().orElseThrow(), Map.of());
        HikariDataSource figures = FleetDatabase.figures(loaded.fleet().orElseThrow(), Map.of());
        services.registerProcessMetrics();
        Worker worker = Worker.start(
                name,
                services.workerServices(database, figures, new ReadBudget(0)),
                loaded.fleet().orElseThrow(),
                loaded.schedule(),
                loaded.daemon(),
                services.metrics(),
                services.alerts(),
                services.clock());
        return new RunningWorker(worker, services, database, figures);
    }

    @Override
    public void close() throws IOException {
        worker.stop();
        figures.close();
        database.close();
        services.close();
    }
}
