package dev.vigil.fleet;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.logging.LogLevel;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import dev.vigil.core.Durations;
import dev.vigil.core.Errors;
import dev.vigil.core.PartitionId;
import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.AlertPublisher;
import dev.vigil.core.alert.AlertResolution;
import dev.vigil.core.alert.AlertType;
import dev.vigil.core.config.FleetConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker of the verification fleet: a db-scheduler {@link Scheduler} on the shared PostgreSQL database running
 * three kinds of task.
 *
 * <ul>
 *   <li>{@value #VERIFY_PARTITION}, one instance per partition (the instance id is the partition's name): runs
 *       {@link FleetWork#verifyPartition}, then is due again {@code fleet.verify-every} later; a failure is retried
 *       after {@code fleet.retry-after}, doubling. db-scheduler picks due tasks oldest first, so the most overdue
 *       partition is verified first; a task is held by one worker at a time, and a worker whose heartbeat stops for
 *       {@code fleet.heartbeat × fleet.missed-heartbeats} loses it to another.
 *   <li>{@value #DISCOVER} ({@link PartitionDiscovery}), a singleton every {@code fleet.discover-every}.
 *   <li>each {@link FleetJob}, a singleton on its cron schedule.
 * </ul>
 *
 * <p>It also reads {@link FleetStats} every poll interval on a named thread (exported as {@code vigil_fleet_*} and
 * used as the database's health: a worker that cannot read them says so on {@code /health}). Thread safe;
 * {@link #close} stops taking work and waits for running tasks up to the shutdown timeout.
 */
public final class Fleet implements AutoCloseable {

    /** The per-partition verification task's name. */
    public static final String VERIFY_PARTITION = "verify-partition";

    /** The per-partition archive verification task's name (one instance per partition). */
    public static final String VERIFY_ARCHIVE = "verify-partition-archive";

    public static final String SNAPSHOT = "snapshot-partition";

    /** The discovery singleton's name. */
    public static final String DISCOVER = "discover-partitions";

    private static final Logger LOG = LoggerFactory.getLogger(Fleet.class);

    /** How long the database may not answer before {@code FLEET_DATABASE_UNAVAILABLE} fires (blips page nobody). */
    static final Duration UNREACHABLE_ALERT_AFTER = Duration.ofMinutes(1);

    private final Scheduler scheduler;
    private final ScheduledExecutorService statsReader;
    private final String worker;
    private final WorkerPresence presence;
    private volatile @Nullable FleetStats stats;
    private volatile @Nullable String databaseProblem = "no answer yet since the worker started";
    private volatile Instant lastContact = Instant.EPOCH;
    private volatile boolean databaseTried;
    /** Since when the figures' reads fail; read and written by the figures' one thread. */
    private @Nullable Instant unreachableSince;

    private Fleet(Scheduler scheduler, ScheduledExecutorService statsReader, String worker, WorkerPresence presence) {
        this.scheduler = scheduler;
        this.statsReader = statsReader;
        this.worker = worker;
        this.presence = presence;
    }

    /**
     * Creates the schema if absent and starts the worker.
     *
     * @param worker          this worker's name in the database (unique in the fleet: host and process id)
     * @param shutdownTimeout how long {@link #close} waits for running tasks
     * @throws SQLException when the database cannot be reached or the schema cannot be created
     */
    public static Fleet start(
            FleetConfig config,
            DataSource database,
            String worker,
            FleetWork work,
            List<FleetJob> jobs,
            Duration shutdownTimeout,
            MeterRegistry registry,
            AlertPublisher alerts,
            Clock clock)
            throws SQLException {
        return start(config, database, worker, work, jobs, new ReadBudget(0), shutdownTimeout, registry, alerts, clock);
    }

    /**
     * As {@link #start(FleetConfig, DataSource, String, FleetWork, List, Duration, MeterRegistry, AlertPublisher, Clock)}, with the
     * read budget whose share this worker keeps up to date ({@code work} should read through {@link ReadBudget#wrap}).
     */
    public static Fleet start(
            FleetConfig config,
            DataSource database,
            String worker,
            FleetWork work,
            List<FleetJob> jobs,
            ReadBudget budget,
            Duration shutdownTimeout,
            MeterRegistry registry,
            AlertPublisher alerts,
            Clock clock)
            throws SQLException {
        return start(config, database, database, worker, work, jobs, budget, shutdownTimeout, registry, alerts, clock);
    }

    /**
     * As {@link #start(FleetConfig, DataSource, String, FleetWork, List, ReadBudget, Duration, MeterRegistry,
     * AlertPublisher, Clock)}, reading the figures and this worker's presence every poll interval through
     * {@code figures} ({@link FleetDatabase#figures}: short timeouts, so that the database gone turns the figures'
     * state unreachable within a poll interval or two instead of after the work pool's connection timeout).
     */
    public static Fleet start(
            FleetConfig config,
            DataSource database,
            DataSource figures,
            String worker,
            FleetWork work,
            List<FleetJob> jobs,
            ReadBudget budget,
            Duration shutdownTimeout,
            MeterRegistry registry,
            AlertPublisher alerts,
            Clock clock)
            throws SQLException {
        FleetDatabase.createSchema(database);
        PartitionFailures failures = new PartitionFailures(database);
        PartitionVerifications verifications = new PartitionVerifications(database);
        CustomTask<Void> verify = Tasks.custom(VERIFY_PARTITION, Void.class)
                .onFailure(new Backoff<>(config.retryAfter(), config.verifyEvery()))
                .onDeadExecutionRevive()
                .execute((instance, context) -> {
                    PartitionId partition = PartitionId.of(instance.getId());
                    if (context.getExecution().consecutiveFailures == 0
                            && config.affinityWait().isPositive()
                            && verifications.deferToPrevious(
                                    partition,
                                    worker,
                                    clock.instant(),
                                    config.takeoverAfter(),
                                    config.affinityWait())) {
                        LOG.debug("{} left to the worker that holds its reference", partition.value());
                        return new CompletionHandler.OnCompleteReschedule<>(FixedDelay.of(config.pollInterval()));
                    }
                    String summary;
                    try {
                        summary = run("verify " + partition.value(), () -> work.verifyPartition(partition));
                    } catch (RuntimeException e) {
                        Throwable cause = e instanceof FleetTaskException && e.getCause() != null ? e.getCause() : e;
                        failures.failed(partition, Errors.message(cause), clock.instant());
                        throw e;
                    }
                    verifications.verified(partition, worker, clock.instant());
                    if (context.getExecution().consecutiveFailures > 0) {
                        failures.succeeded(partition);
                    }
                    LOG.info("verified {}: {}", partition.value(), summary);
                    return new CompletionHandler.OnCompleteReschedule<>(FixedDelay.of(config.verifyEvery()));
                });
        CustomTask<Void> verifyArchive = Tasks.custom(VERIFY_ARCHIVE, Void.class)
                .onFailure(new Backoff<>(config.retryAfter(), config.verifyArchiveEvery()))
                .onDeadExecutionRevive()
                .execute((instance, context) -> {
                    PartitionId partition = PartitionId.of(instance.getId());
                    String summary =
                            run("verify the archive of " + partition.value(), () -> work.verifyArchive(partition));
                    LOG.info("verified the archive of {}: {}", partition.value(), summary);
                    return new CompletionHandler.OnCompleteReschedule<>(FixedDelay.of(config.verifyArchiveEvery()));
                });
        CustomTask<Void> snapshot = Tasks.custom(SNAPSHOT, Void.class)
                .onFailure(new Backoff<>(config.retryAfter(), config.snapshotEvery()))
                .onDeadExecutionRevive()
                .execute((instance, context) -> {
                    PartitionId partition = PartitionId.of(instance.getId());
                    String summary = run("snapshot " + partition.value(), () -> work.snapshotPartition(partition));
                    LOG.info("snapshot of {}: {}", partition.value(), summary);
                    return new CompletionHandler.OnCompleteReschedule<>(FixedDelay.of(config.snapshotEvery()));
                });
        PartitionDiscovery discovery =
                new PartitionDiscovery(work, List.of(verify, verifyArchive, snapshot), verifications, failures);
        RecurringTask<Void> discover = Tasks.recurring(DISCOVER, FixedDelay.of(config.discoverEvery()))
                .execute((instance, context) -> run(
                        "discover partitions",
                        () -> discovery
                                .run(context.getSchedulerClient(), clock.instant())
                                .toString()));
        List<Task<?>> known = List.of(verify, verifyArchive, snapshot); // recurring: known through startTasks
        List<RecurringTask<?>> startTasks = new ArrayList<>(List.of(discover));
        for (FleetJob job : jobs) {
            RecurringTask<Void> task = Tasks.recurring(job.name(), new QuartzCronSchedule(job.cron(), job.zone()))
                    .execute((instance, context) -> run(job.name(), () -> {
                        job.body().run(context.getExecution().executionTime);
                        return "done";
                    }));
            startTasks.add(task);
        }
        Scheduler scheduler = Scheduler.create(database, known)
                .startTasks(startTasks)
                .threads(config.threads())
                .pollingInterval(config.pollInterval())
                .heartbeatInterval(config.heartbeat())
                .missedHeartbeatsLimit(config.missedHeartbeats())
                .schedulerName(new SchedulerName.Fixed(worker))
                .shutdownMaxWait(shutdownTimeout)
                .enableImmediateExecution()
                // PostgreSQL: select ... for update skip locked, so workers never contend for the same rows.
                .pollUsingLockAndFetch(0.5, 1.0)
                // run() logs each failure once, with what failed; db-scheduler's own line would repeat it.
                .failureLogging(LogLevel.DEBUG, true)
                .build();
        ScheduledExecutorService statsReader = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("vigil-fleet-stats").daemon().factory());
        Fleet fleet = new Fleet(scheduler, statsReader, worker, new WorkerPresence(figures));
        fleet.register(registry);
        Gauge.builder("vigil.fleet.read.budget", budget, ReadBudget::rate)
                .baseUnit("bytes.per.second")
                .description("This worker's share of fleet.read-budget (0: no limit)")
                .register(registry);
        ScheduledFuture<?> unused = statsReader.scheduleWithFixedDelay(
                () -> fleet.readStats(figures, config, budget, alerts, clock),
                0,
                config.pollInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        try {
            scheduler.start();
        } catch (RuntimeException e) {
            statsReader.shutdownNow();
            throw e;
        }
        LOG.info(
                "fleet worker {} started: {} thread(s), partitions verified every {}, {} singleton job(s)",
                worker,
                config.threads(),
                config.verifyEvery(),
                jobs.size());
        return fleet;
    }

    /** A task body that may throw: a checked failure becomes the task's failure, with its message. */
    @FunctionalInterface
    private interface Work {
        String call() throws Exception;
    }

    private static String run(String what, Work body) {
        try {
            return body.call();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FleetTaskException(what + ": interrupted (the worker is stopping)", e);
        } catch (RuntimeException e) {
            LOG.error("{} failed: {}", what, Errors.message(e), e);
            throw e;
        } catch (Exception e) {
            LOG.error("{} failed: {}", what, Errors.message(e));
            throw new FleetTaskException(what + ": " + Errors.message(e), e);
        }
    }

    private void readStats(
            DataSource database, FleetConfig config, ReadBudget budget, AlertPublisher alerts, Clock clock) {
        try {
            presence.seen(worker, clock.instant());
            budget.share(presence.liveWorkers(clock.instant().minus(config.takeoverAfter())));
            stats = FleetStats.read(database, config, clock);
            lastContact = clock.instant();
            if (databaseProblem != null) {
                LOG.info("fleet database reachable");
            }
            databaseProblem = null;
            databaseTried = true;
            unreachableSince = null;
            alerts.resolve(AlertResolution.ofKey(
                    AlertType.FLEET_DATABASE_UNAVAILABLE,
                    databaseIncident(),
                    clock.instant(),
                    "worker " + worker + " reaches the fleet database again"));
        } catch (SQLException | RuntimeException e) {
            databaseTried = true;
            String problem = Errors.messageWithCauses(e);
            if (databaseProblem == null) {
                LOG.warn("fleet database unreachable: {}; no new work is taken until it answers", problem);
            }
            databaseProblem = problem;
            Instant now = clock.instant();
            Instant since = unreachableSince == null ? now : unreachableSince;
            unreachableSince = since;
            if (Duration.between(since, now).compareTo(UNREACHABLE_ALERT_AFTER) >= 0) {
                alerts.raise(Alert.of(AlertType.FLEET_DATABASE_UNAVAILABLE, now)
                        .key(databaseIncident())
                        .message("worker " + worker + " has not reached the fleet database since " + since + " (for "
                                + Durations.format(Duration.between(since, now)) + "): " + problem)
                        .action("check that PostgreSQL runs and accepts this worker (fleet.jdbc-url, fleet.user and"
                                + " the password in the environment); no partition is verified by this worker until it"
                                + " answers, and node agents keep archiving and scrubbing meanwhile")
                        .detail("worker", worker)
                        .build());
            }
        }
    }

    private String databaseIncident() {
        return AlertType.FLEET_DATABASE_UNAVAILABLE + "|" + worker;
    }

    private void register(MeterRegistry registry) {
        Gauge.builder("vigil.fleet.database.up", this, f -> f.databaseProblem == null ? 1 : 0)
                .description("1 while this worker reaches the fleet database, 0 otherwise")
                .register(registry);
        Gauge.builder(
                        "vigil.fleet.tasks.running.here",
                        this,
                        f -> f.scheduler.getCurrentlyExecuting().size())
                .description("Tasks this worker runs now")
                .register(registry);
        gauge(registry, "vigil.fleet.partitions", "Partitions with a verification task", FleetStats::partitions);
        gauge(
                registry,
                "vigil.fleet.partitions.overdue",
                "Partitions whose verification is overdue",
                FleetStats::overdue);
        gauge(
                registry,
                "vigil.fleet.partitions.overdue.ratio",
                "Share of partitions overdue",
                FleetStats::overdueRatio);
        gauge(registry, "vigil.fleet.tasks.running", "Verification tasks held by any worker", FleetStats::running);
        gauge(registry, "vigil.fleet.tasks.failing", "Verification tasks whose last run failed", FleetStats::failing);
        gauge(
                registry,
                "vigil.fleet.partitions.never.verified",
                "Partitions without a successful verification yet",
                FleetStats::neverVerified);
        Gauge.builder(
                        "vigil.fleet.oldest.verification.age",
                        this,
                        f -> Optional.ofNullable(f.stats)
                                .flatMap(FleetStats::oldestVerificationAge)
                                .map(age -> age.toMillis() / 1000.0)
                                .orElse(Double.NaN))
                .baseUnit("seconds")
                .description("Time since the oldest partition's last successful verification")
                .register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<FleetStats> f) {
        Gauge.builder(name, this, fleet -> {
                    FleetStats current = fleet.stats;
                    return current == null ? Double.NaN : f.applyAsDouble(current);
                })
                .description(description)
                .register(registry);
    }

    /** This worker's name in the database. */
    public String worker() {
        return worker;
    }

    /** The latest figures read from the database, if any were. */
    public Optional<FleetStats> stats() {
        return Optional.ofNullable(stats);
    }

    /** Why the database could not be read at the last try; empty while it answers. */
    public Optional<String> databaseProblem() {
        return Optional.ofNullable(databaseProblem);
    }

    /** Whether this worker has tried to read the fleet's figures at least once (answered or not). */
    public boolean databaseTried() {
        return databaseTried;
    }

    /** When the database last answered this worker. */
    public Instant lastContact() {
        return lastContact;
    }

    /** The task instances this worker runs now ({@code task/instance}). */
    public List<String> running() {
        return scheduler.getCurrentlyExecuting().stream()
                // db-scheduler's own getTaskAndInstance() joins them with '_', which partition names may contain.
                .map(c -> c.getTaskInstance().getTaskName() + "/"
                        + c.getTaskInstance().getId())
                .toList();
    }

    /** Stops taking work, waits for running tasks up to the shutdown timeout, stops reading figures. */
    @Override
    public void close() {
        scheduler.stop();
        statsReader.shutdownNow();
        // The worker's row in vigil_workers stays: restarted within heartbeat × missed-heartbeats (a rolling restart),
        // it finds its partitions still waiting for it; gone for good, its row goes stale in that time and others
        // take its partitions.
    }
}
