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
import java.util.Map;
import java.util.Properties;
import java.util.TimeZone;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.quartz.CronScheduleBuilder;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
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
    private final Duration shutdownTimeout;
    private final JobTracker jobs;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile @Nullable ShutdownBudget budget;

    private Daemon(
            Scheduler scheduler, HttpEndpoint http, Archiver archiver, JobTracker jobs, Duration shutdownTimeout) {
        this.scheduler = scheduler;
        this.http = http;
        this.archiver = archiver;
        this.jobs = jobs;
        this.shutdownTimeout = shutdownTimeout;
    }

    /** The jobs a fleet's workers take over from the node daemons (see {@link Worker}). */
    static final List<String> CENTRAL_JOBS =
            List.of(ArchiveVerifyJob.NAME, JudgeJob.NAME, RetentionJob.NAME, RestoreDrillJob.NAME, ReportJob.NAME);

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
        JobTracker tracker = new JobTracker(metrics, clock, alerts, instance);
        tracker.declare(ArchiveJob.NAME);
        tracker.declare(ScrubJob.NAME);
        if (centralWork) {
            CENTRAL_JOBS.forEach(tracker::declare);
        } else {
            tracker.declare(NodeCopyJob.NAME);
        }
        Archiver archiver = services.archiver();
        Map<Class<? extends Job>, Supplier<Job>> jobs = Map.of(
                ArchiveJob.class, () -> new ArchiveJob(archiver, tracker),
                ArchiveVerifyJob.class, () -> new ArchiveVerifyJob(services.verifier(), tracker),
                NodeCopyJob.class, () -> new NodeCopyJob(services.nodeCopies(), tracker),
                ScrubJob.class,
                        () -> new ScrubJob(services.scrubber(), services.scrub(), schedule.timeZone(), tracker, clock),
                JudgeJob.class, () -> new JudgeJob(services.judge(), tracker),
                RetentionJob.class, () -> new RetentionJob(services.retention(), tracker),
                RestoreDrillJob.class, () -> new RestoreDrillJob(services.drill(), tracker),
                ReportJob.class, () -> new ReportJob(services.reports(), tracker));
        Scheduler scheduler = new StdSchedulerFactory(quartzProperties(instance)).getScheduler();
        JobFactory factory = (bundle, unused) -> {
            Supplier<Job> job = jobs.get(bundle.getJobDetail().getJobClass());
            if (job == null) {
                throw new SchedulerException(
                        "no factory for job " + bundle.getJobDetail().getJobClass());
            }
            return job.get();
        };
        scheduler.setJobFactory(factory);
        JobDetail archive = JobBuilder.newJob(ArchiveJob.class)
                .withIdentity(ArchiveJob.NAME, "vigil")
                .storeDurably()
                .build();
        Trigger trigger = TriggerBuilder.newTrigger()
                .withIdentity(ArchiveJob.NAME + "-cron", "vigil")
                .forJob(archive)
                // A missed run is not made up: the next scheduled one does the same work.
                .withSchedule(CronScheduleBuilder.cronSchedule(schedule.archive())
                        .inTimeZone(TimeZone.getTimeZone(schedule.timeZone()))
                        .withMisfireHandlingInstructionDoNothing())
                .build();
        scheduler.scheduleJob(archive, trigger);
        schedule(scheduler, ScrubJob.class, ScrubJob.NAME, schedule.scrub(), schedule.timeZone());
        if (centralWork) {
            schedule(
                    scheduler,
                    ArchiveVerifyJob.class,
                    ArchiveVerifyJob.NAME,
                    schedule.verifyArchive(),
                    schedule.timeZone());
            schedule(scheduler, JudgeJob.class, JudgeJob.NAME, schedule.judge(), schedule.timeZone());
            schedule(scheduler, RetentionJob.class, RetentionJob.NAME, schedule.retention(), schedule.timeZone());
            schedule(
                    scheduler,
                    RestoreDrillJob.class,
                    RestoreDrillJob.NAME,
                    schedule.restoreDrill(),
                    schedule.timeZone());
            schedule(scheduler, ReportJob.class, ReportJob.NAME, schedule.report(), schedule.timeZone());
        } else {
            // The fleet re-reads the archive, but only this node holds its local copies to compare with.
            schedule(scheduler, NodeCopyJob.class, NodeCopyJob.NAME, schedule.verifyArchive(), schedule.timeZone());
        }
        Daemon[] self = new Daemon[1];
        HttpEndpoint http;
        try {
            http = new HttpEndpoint(
                    instance,
                    config.httpHost(),
                    config.httpPort(),
                    metrics,
                    new DaemonHealth(
                            tracker, archiver, services.storeWarnings(), () -> self[0] == null || self[0].stopping));
        } catch (IOException e) {
            scheduler.shutdown(false);
            throw e;
        }
        self[0] = new Daemon(scheduler, http, archiver, tracker, config.shutdownTimeout());
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
            LOG.info(
                    "Vigil daemon started: archive '{}', verify-archive '{}', scrub '{}', judge '{}', retention '{}',"
                            + " restore drill '{}', report '{}' (in time zone {}); health and metrics on http://{}:{}/",
                    schedule.archive(),
                    schedule.verifyArchive(),
                    schedule.scrub(),
                    schedule.judge(),
                    schedule.retention(),
                    schedule.restoreDrill(),
                    schedule.report(),
                    schedule.timeZone(),
                    config.httpHost(),
                    http.port());
        } else {
            LOG.info(
                    "Vigil node agent started: archive '{}', scrub '{}', compare local segments with the archive '{}'"
                            + " (in time zone {}); judging, archive verification, retention, drills and reports are the"
                            + " fleet's; health and metrics on http://{}:{}/",
                    schedule.archive(),
                    schedule.scrub(),
                    schedule.verifyArchive(),
                    schedule.timeZone(),
                    config.httpHost(),
                    http.port());
        }
        return self[0];
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
        stopped.await();
    }

    /**
     * Stops within the shutdown timeout, counted once for everything: running jobs get it but for a reserve
     * ({@link ShutdownBudget#reserve}); then uploads and jobs still running are interrupted (an interrupted upload
     * leaves no visible object) and waited for until half the reserve is left; the rest is for the command to deliver
     * the alerts raised meanwhile and to close ({@link #shutdownLeft}).
     */
    @Override
    public void stop() {
        ShutdownBudget budget;
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
            budget = ShutdownBudget.start(shutdownTimeout);
            this.budget = budget;
        }
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
                        Durations.format(shutdownTimeout.minus(reserve)));
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
            stopped.countDown();
            LOG.info("Vigil daemon stopped ({} of the shutdown timeout left)", Durations.format(budget.left()));
        }
    }

    @Override
    public Duration shutdownLeft() {
        ShutdownBudget spent = budget;
        return spent == null ? shutdownTimeout : spent.left();
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
