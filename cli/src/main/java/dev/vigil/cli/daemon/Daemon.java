package dev.vigil.cli.daemon;

import dev.vigil.archiver.Archiver;
import dev.vigil.core.Durations;
import dev.vigil.core.alert.AlertPublisher;
import dev.vigil.core.config.DaemonConfig;
import dev.vigil.core.config.ScheduleConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.TimeZone;
import org.quartz.CronScheduleBuilder;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.spi.JobFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon beside a storage node: a Quartz scheduler (RAM job store) running thin job adapters around
 * plain services on the configured cron schedule, and the local HTTP endpoint. {@link #stop} is the
 * SIGTERM path: take no new work, let running jobs finish within the shutdown timeout, then interrupt
 * uploads (an interrupted upload leaves no visible object), and close. Idempotent; thread safe.
 */
public final class Daemon implements Service {

    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

    private final Scheduler scheduler;
    private final HttpEndpoint http;
    private final Archiver archiver;
    private final JobTracker jobs;
    private final Lifecycle lifecycle;

    private Daemon(Scheduler scheduler, HttpEndpoint http, Archiver archiver, JobTracker jobs, Lifecycle lifecycle) {
        this.scheduler = scheduler;
        this.http = http;
        this.archiver = archiver;
        this.jobs = jobs;
        this.lifecycle = lifecycle;
    }

    /**
     * Starts the scheduler and the endpoint; the archive job also runs once at once. {@code instance} names the
     * scheduler (the node's replica id): Quartz keeps schedulers by name per JVM, so two daemons in one process (the
     * demo) need different names. Without {@code centralWork} (a fleet is configured) the daemon only archives and
     * scrubs: judging, archive verification, retention, drills and reports are the fleet's.
     */
    public static Daemon start(
            String instance,
            DaemonServices services,
            ScheduleConfig schedule,
            DaemonConfig config,
            boolean centralWork,
            PrometheusMeterRegistry metrics,
            AlertPublisher alerts,
            Clock clock)
            throws IOException, SchedulerException {
        Lifecycle lifecycle = new Lifecycle(config.shutdownTimeout());
        lifecycle.starting();
        JobTracker tracker = new JobTracker(metrics, clock, alerts, instance);
        List<DaemonJob> table = DaemonJob.running(centralWork);
        table.forEach(job -> tracker.declare(job.name()));
        Archiver archiver = services.archiver();
        DaemonJob.Context context = new DaemonJob.Context(services, tracker, schedule, clock);
        Scheduler scheduler = new StdSchedulerFactory(quartzProperties(instance)).getScheduler();
        JobFactory factory = (bundle, unused) -> {
            Class<? extends Job> type = bundle.getJobDetail().getJobClass();
            return table.stream()
                    .filter(job -> job.type() == type)
                    .findFirst()
                    .orElseThrow(() -> new SchedulerException("no factory for job " + type))
                    .factory()
                    .apply(context);
        };
        scheduler.setJobFactory(factory);
        for (DaemonJob job : table) {
            // A missed run is not made up: the next scheduled one does the same work.
            schedule(scheduler, job.type(), job.name(), job.schedule().apply(schedule), schedule.timeZone());
        }
        HttpEndpoint http;
        try {
            http = new HttpEndpoint(
                    instance,
                    config.httpHost(),
                    config.httpPort(),
                    metrics,
                    new DaemonHealth(tracker, archiver, services.storeWarnings(), lifecycle::stopping));
        } catch (IOException e) {
            scheduler.shutdown(false);
            throw e;
        }
        Daemon daemon = new Daemon(scheduler, http, archiver, tracker, lifecycle);
        JobKey archiveKey = new JobKey(ArchiveJob.NAME, "vigil");
        try {
            archiver.watch(() -> {
                try {
                    scheduler.triggerJob(archiveKey); // a segment sealed: archive it now, not at the next tick
                } catch (SchedulerException e) {
                    LOG.warn("cannot start an archive pass on a sealed segment ({}); the schedule does", e.toString());
                }
            });
        } catch (IOException e) {
            LOG.warn("no file system notifications ({}); every archive pass scans every partition", e.toString());
        }
        scheduler.start();
        scheduler.triggerJob(archiveKey);
        if (centralWork) {
            // A key dropped from the keyring is named at start, not first at the next scheduled check.
            scheduler.triggerJob(new JobKey(KeyCheckJob.NAME, "vigil"));
        }
        lifecycle.running();
        LOG.info(
                "Vigil {} started: {} (in time zone {}){}; health and metrics on http://{}:{}/",
                centralWork ? "daemon" : "node agent",
                String.join(
                        ", ",
                        table.stream()
                                .map(job -> job.name() + " '" + job.schedule().apply(schedule) + "'")
                                .toList()),
                schedule.timeZone(),
                centralWork ? "" : "; judging, archive verification, retention, drills and reports are the fleet's",
                config.httpHost(),
                http.port());
        return daemon;
    }

    private static void schedule(Scheduler scheduler, Class<? extends Job> job, String name, String cron, ZoneId zone)
            throws SchedulerException {
        JobDetail detail = JobBuilder.newJob(job)
                .withIdentity(name, "vigil")
                .storeDurably()
                .build();
        scheduler.scheduleJob(
                detail,
                TriggerBuilder.newTrigger()
                        .withIdentity(name + "-cron", "vigil")
                        .forJob(detail)
                        .withSchedule(CronScheduleBuilder.cronSchedule(cron)
                                .inTimeZone(TimeZone.getTimeZone(zone))
                                .withMisfireHandlingInstructionDoNothing())
                        .build());
    }

    @Override
    public int httpPort() {
        return http.port();
    }

    /** Blocks until {@link #stop} has finished. */
    @Override
    public void awaitStopped() throws InterruptedException {
        lifecycle.awaitStopped();
    }

    /**
     * Stops within the shutdown timeout, counted once for everything: running jobs get it but for a reserve
     * ({@link ShutdownBudget#reserve}); then uploads and jobs still running are interrupted (an interrupted upload
     * leaves no visible object) and waited for until half the reserve is left; the rest is for the command to deliver
     * the alerts raised meanwhile and to close ({@link #shutdownLeft}).
     */
    @Override
    public void stop() {
        Optional<ShutdownBudget> began = lifecycle.beginStop();
        if (began.isEmpty()) {
            return;
        }
        ShutdownBudget budget = began.get();
        Duration reserve = budget.reserve();
        LOG.info(
                "stopping: no new jobs; waiting up to {} for running ones",
                Durations.format(budget.leftBefore(reserve)));
        try {
            scheduler.standby();
            Thread waiter = Thread.ofPlatform()
                    .name("vigil-shutdown-wait")
                    .daemon()
                    .start(() -> {
                        try {
                            scheduler.shutdown(true);
                        } catch (SchedulerException e) {
                            LOG.warn("scheduler shutdown: {}", e.getMessage());
                        }
                    });
            waiter.join(Math.max(1, budget.leftBefore(reserve).toMillis()));
            if (waiter.isAlive()) {
                List<String> interrupted = jobs.interruptRunning();
                LOG.warn(
                        "jobs {} still running after {}: interrupting them and their uploads",
                        interrupted,
                        Durations.format(lifecycle.shutdownTimeout().minus(reserve)));
                archiver.shutdown(Duration.ZERO);
                waiter.join(Math.max(1, budget.leftBefore(reserve.dividedBy(2)).toMillis()));
                if (waiter.isAlive()) {
                    LOG.warn("jobs still running after the shutdown timeout; the process exits without them");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SchedulerException e) {
            LOG.warn("scheduler standby: {}", e.getMessage());
        } finally {
            http.close();
            lifecycle.stopped();
            LOG.info("Vigil daemon stopped ({} of the shutdown timeout left)", Durations.format(budget.left()));
        }
    }

    @Override
    public Duration shutdownLeft() {
        return lifecycle.shutdownLeft();
    }

    private static Properties quartzProperties(String instance) {
        Properties properties = new Properties();
        properties.setProperty("org.quartz.scheduler.instanceName", "vigil-" + instance);
        properties.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        properties.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        properties.setProperty("org.quartz.threadPool.threadCount", "4");
        properties.setProperty("org.quartz.threadPool.threadNamePrefix", "vigil-job-" + instance);
        properties.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        properties.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
        return properties;
    }
}
