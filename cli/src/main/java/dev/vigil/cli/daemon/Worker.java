package dev.vigil.cli.daemon;

import dev.vigil.core.alert.AlertPublisher;
import dev.vigil.core.config.DaemonConfig;
import dev.vigil.core.config.FleetConfig;
import dev.vigil.core.config.ScheduleConfig;
import dev.vigil.fleet.Fleet;
import dev.vigil.fleet.FleetJob;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A verification fleet worker ({@code vigil worker}): a {@link Fleet} on the shared database, running every
 * partition's verification and, as fleet-wide singletons on the configured cron schedules, archive verification,
 * retention, restore drills and compliance reports (the same work and the same {@code vigil_job_*} metrics as a node
 * daemon's jobs); and the local HTTP endpoint ({@code /health}, {@code /metrics}). {@link #stop} is the SIGTERM path:
 * take no new work, let running tasks finish within {@code daemon.shutdown-timeout} (a task cut short is taken over
 * by another worker), close. Idempotent; thread safe.
 */
public final class Worker implements Service {

    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

    private final Fleet fleet;
    private final HttpEndpoint http;
    private final Lifecycle lifecycle;

    private Worker(Fleet fleet, HttpEndpoint http, Lifecycle lifecycle) {
        this.fleet = fleet;
        this.http = http;
        this.lifecycle = lifecycle;
    }

    /**
     * Starts the worker.
     *
     * @param name this worker's name in the fleet database (unique: host and process id)
     * @throws SQLException when the database cannot be reached or its schema created
     * @throws IOException  when the HTTP endpoint cannot listen
     */
    public static Worker start(
            String name,
            WorkerServices services,
            FleetConfig fleetConfig,
            ScheduleConfig schedule,
            DaemonConfig config,
            PrometheusMeterRegistry metrics,
            AlertPublisher alerts,
            Clock clock)
            throws SQLException, IOException {
        Lifecycle lifecycle = new Lifecycle(config.shutdownTimeout());
        lifecycle.starting();
        JobTracker tracker = new JobTracker(metrics, clock, alerts, name);
        List<FleetJob> jobs = List.of(
                job(
                        tracker,
                        RetentionJob.NAME,
                        schedule.retention(),
                        schedule,
                        at -> RetentionJob.outcome(services.retention())),
                job(
                        tracker,
                        RestoreDrillJob.NAME,
                        schedule.restoreDrill(),
                        schedule,
                        at -> RestoreDrillJob.outcome(services.drill())),
                job(
                        tracker,
                        ReportJob.NAME,
                        schedule.report(),
                        schedule,
                        at -> ReportJob.outcome(services.reports(), at)),
                job(
                        tracker,
                        KeyCheckJob.NAME,
                        schedule.keyCheck(),
                        schedule,
                        at -> KeyCheckJob.outcome(services.keyCheck())),
                job(
                        tracker,
                        CheckpointJob.NAME,
                        schedule.checkpoint(),
                        schedule,
                        at -> CheckpointJob.outcome(services.log())),
                job(tracker, AuditJob.NAME, schedule.audit(), schedule, at -> AuditJob.outcome(services.log())));
        jobs.forEach(job -> tracker.declare(job.name()));
        Fleet fleet = Fleet.start(
                fleetConfig,
                services.database(),
                services.figures(),
                name,
                services.work(),
                jobs,
                services.budget(),
                // Running tasks get the shutdown timeout but for the reserve the stop keeps for alerts and closing.
                config.shutdownTimeout().minus(ShutdownBudget.reserveOf(config.shutdownTimeout())),
                metrics,
                alerts,
                clock);
        HttpEndpoint http;
        try {
            http = new HttpEndpoint(
                    name,
                    config.httpHost(),
                    config.httpPort(),
                    metrics,
                    new WorkerHealth(fleet, tracker, services.storeWarnings(), lifecycle::stopping));
        } catch (IOException e) {
            fleet.close();
            throw e;
        }
        Worker worker = new Worker(fleet, http, lifecycle);
        lifecycle.running();
        LOG.info(
                "Vigil fleet worker {} started: each partition's verification every {} and archive verification"
                        + " every {}; retention '{}', restore drill '{}', report '{}', key check '{}' (in time zone {}) once"
                        + " fleet-wide; health and metrics on http://{}:{}/",
                name,
                fleetConfig.verifyEvery(),
                fleetConfig.verifyArchiveEvery(),
                schedule.retention(),
                schedule.restoreDrill(),
                schedule.report(),
                schedule.keyCheck(),
                schedule.timeZone(),
                config.httpHost(),
                http.port());
        return worker;
    }

    /** A job's outcome for a scheduled time. */
    @FunctionalInterface
    private interface Outcome {
        JobOutcome at(Instant scheduled) throws Exception;
    }

    private static FleetJob job(
            JobTracker tracker, String name, String cron, ScheduleConfig schedule, Outcome outcome) {
        return new FleetJob(name, cron, schedule.timeZone(), at -> tracker.run(name, () -> outcome.at(at)));
    }

    @Override
    public int httpPort() {
        return http.port();
    }

    /** The fleet this worker belongs to (figures, database state). */
    public Fleet fleet() {
        return fleet;
    }

    /** Blocks until {@link #stop} has finished. */
    @Override
    public void awaitStopped() throws InterruptedException {
        lifecycle.awaitStopped();
    }

    /**
     * Stops within the shutdown timeout, counted once: db-scheduler waits for running tasks (a task cut short is taken
     * over by another worker); what is left is for the command to deliver alerts and close ({@link #shutdownLeft}).
     * Idempotent.
     */
    @Override
    public void stop() {
        if (lifecycle.beginStop().isEmpty()) {
            return;
        }
        LOG.info("fleet worker {} stopping: no new work; running tasks finish or are taken over", fleet.worker());
        try {
            fleet.close();
        } finally {
            http.close();
            lifecycle.stopped();
        }
        LOG.info("fleet worker {} stopped", fleet.worker());
    }

    @Override
    public Duration shutdownLeft() {
        return lifecycle.shutdownLeft();
    }

    @Override
    public String toString() {
        return "Worker[" + fleet.worker() + "]";
    }
}
