package dev.vigil.cli.daemon;

import dev.vigil.fleet.Fleet;
import dev.vigil.fleet.FleetStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A fleet worker's {@code GET /health}: {@code STARTING} (HTTP 503) until it has asked the database once; {@code UP}
 * while it reaches the database and its singleton jobs' last runs
 * finished; {@code DEGRADED} (HTTP 200) with the reasons otherwise, such as the database being unreachable (the
 * worker then takes no work); {@code STOPPING} (HTTP 503) during shutdown. Also this worker's running tasks and the
 * fleet's figures as the database last gave them. Thread safe.
 */
final class WorkerHealth implements HealthSource {

    private final Fleet fleet;
    private final JobTracker jobs;
    private final BooleanSupplier stopping;
    private final List<String> storeWarnings;

    WorkerHealth(Fleet fleet, JobTracker jobs, List<String> storeWarnings, BooleanSupplier stopping) {
        this.storeWarnings = List.copyOf(storeWarnings);
        this.fleet = fleet;
        this.jobs = jobs;
        this.stopping = stopping;
    }

    /** Before the first try to read the fleet's figures, nothing about the database is known. */
    private boolean starting() {
        return !fleet.databaseTried();
    }

    private List<String> reasons() {
        List<String> reasons = new ArrayList<>(jobs.problems());
        storeWarnings.forEach(warning -> reasons.add("the repository: " + warning));
        fleet.databaseProblem()
                .ifPresent(why -> reasons.add(
                        "the fleet database does not answer (" + why + "); no verification is taken until it does"));
        return reasons;
    }

    @Override
    public Health health() {
        List<String> reasons = reasons();
        Optional<String> problem = fleet.databaseProblem();
        boolean starting = starting();
        if (starting) {
            reasons.add("starting: the fleet database has not been asked yet");
        }
        Map<String, Object> database = new LinkedHashMap<>();
        database.put("reachable", problem.isEmpty());
        database.put(
                "lastContact",
                fleet.lastContact().equals(Instant.EPOCH)
                        ? null
                        : fleet.lastContact().toString());
        database.put("problem", problem.orElse(null));
        Map<String, Object> document = new LinkedHashMap<>();
        Status status = HealthSource.status(stopping.getAsBoolean(), starting, reasons);
        document.put("status", status);
        document.put("reasons", reasons);
        document.put("worker", fleet.worker());
        document.put("database", database);
        document.put("running", fleet.running());
        document.put("fleet", fleet.stats().map(WorkerHealth::figures).orElse(null));
        document.put("jobs", jobs.health());
        return new Health(status, document);
    }

    private static Map<String, Object> figures(FleetStats stats) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("partitions", stats.partitions());
        figures.put("overdue", stats.overdue());
        figures.put("overdueRatio", stats.overdueRatio());
        figures.put("running", stats.running());
        figures.put("failing", stats.failing());
        figures.put("neverVerified", stats.neverVerified());
        figures.put(
                "oldestVerificationAgeSeconds",
                stats.oldestVerificationAge().map(d -> d.toSeconds()).orElse(null));
        figures.put("readAt", stats.readAt().toString());
        return figures;
    }
}
