package dev.vigil.cli.daemon;

import dev.vigil.core.config.ScheduleConfig;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;
import org.quartz.Job;

/**
 * The daemon's jobs, spelled once: each one's name (its metrics label, its {@code /health} entry), its Quartz class, the
 * schedule setting it runs on, where it runs, and how it is made from the daemon's services. {@link Daemon} declares,
 * builds, schedules and announces them from this table, and {@link Worker} takes the central ones over.
 *
 * @param name     the job's name
 * @param type     its Quartz class
 * @param schedule its cron expression in the configuration
 * @param runs     on which daemons it runs
 * @param factory  how it is made
 */
record DaemonJob(
        String name,
        Class<? extends Job> type,
        Function<ScheduleConfig, String> schedule,
        Runs runs,
        Function<Context, Job> factory) {

    /** On which daemons a job runs. */
    enum Runs {
        /** On every node daemon: only the node can do it (archive its WAL, scrub its replica). */
        ON_EVERY_NODE,
        /** On node daemons without a fleet; with one, the fleet's workers do it for every node. */
        CENTRAL,
        /** Only on node daemons in a fleet: the fleet re-reads the archive, but only the node holds its own copies. */
        IN_A_FLEET
    }

    /** What a job is made from. */
    record Context(DaemonServices services, JobTracker tracker, ScheduleConfig schedule, Clock clock) {}

    /** Every job, in the order they are announced. */
    static final List<DaemonJob> ALL = List.of(
            new DaemonJob(
                    ArchiveJob.NAME,
                    ArchiveJob.class,
                    ScheduleConfig::archive,
                    Runs.ON_EVERY_NODE,
                    c -> new ArchiveJob(c.services().archiver(), c.tracker())),
            new DaemonJob(
                    ArchiveVerifyJob.NAME,
                    ArchiveVerifyJob.class,
                    ScheduleConfig::verifyArchive,
                    Runs.CENTRAL,
                    c -> new ArchiveVerifyJob(c.services().verifier(), c.tracker())),
            new DaemonJob(
                    NodeCopyJob.NAME,
                    NodeCopyJob.class,
                    ScheduleConfig::verifyArchive,
                    Runs.IN_A_FLEET,
                    c -> new NodeCopyJob(c.services().nodeCopies(), c.tracker())),
            new DaemonJob(
                    ScrubJob.NAME,
                    ScrubJob.class,
                    ScheduleConfig::scrub,
                    Runs.ON_EVERY_NODE,
                    c -> new ScrubJob(
                            c.services().scrubber(),
                            c.services().scrub(),
                            c.schedule().timeZone(),
                            c.tracker(),
                            c.clock())),
            new DaemonJob(
                    JudgeJob.NAME,
                    JudgeJob.class,
                    ScheduleConfig::judge,
                    Runs.CENTRAL,
                    c -> new JudgeJob(c.services().judge(), c.services().referenceSizes(), c.tracker())),
            new DaemonJob(
                    RetentionJob.NAME,
                    RetentionJob.class,
                    ScheduleConfig::retention,
                    Runs.CENTRAL,
                    c -> new RetentionJob(c.services().retention(), c.tracker())),
            new DaemonJob(
                    RestoreDrillJob.NAME,
                    RestoreDrillJob.class,
                    ScheduleConfig::restoreDrill,
                    Runs.CENTRAL,
                    c -> new RestoreDrillJob(c.services().drill(), c.tracker())),
            new DaemonJob(
                    ReportJob.NAME,
                    ReportJob.class,
                    ScheduleConfig::report,
                    Runs.CENTRAL,
                    c -> new ReportJob(c.services().reports(), c.tracker())),
            new DaemonJob(
                    KeyCheckJob.NAME,
                    KeyCheckJob.class,
                    ScheduleConfig::keyCheck,
                    Runs.CENTRAL,
                    c -> new KeyCheckJob(c.services().keyCheck(), c.tracker())),
            new DaemonJob(
                    CheckpointJob.NAME,
                    CheckpointJob.class,
                    ScheduleConfig::checkpoint,
                    Runs.CENTRAL,
                    c -> new CheckpointJob(c.services().log(), c.tracker())),
            new DaemonJob(
                    AuditJob.NAME,
                    AuditJob.class,
                    ScheduleConfig::audit,
                    Runs.CENTRAL,
                    c -> new AuditJob(c.services().log(), c.tracker())));

    /** The jobs a daemon runs: the central ones only without a fleet ({@code centralWork}). */
    static List<DaemonJob> running(boolean centralWork) {
        return ALL.stream()
                .filter(job -> switch (job.runs()) {
                    case ON_EVERY_NODE -> true;
                    case CENTRAL -> centralWork;
                    case IN_A_FLEET -> !centralWork;
                })
                .toList();
    }

    /** The names of the jobs a fleet's workers take over from the node daemons. */
    static List<String> central() {
        return ALL.stream()
                .filter(job -> job.runs() == Runs.CENTRAL)
                .map(DaemonJob::name)
                .toList();
    }
}
