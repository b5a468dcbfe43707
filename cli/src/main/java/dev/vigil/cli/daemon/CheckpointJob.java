package dev.vigil.cli.daemon;

import dev.vigil.cli.ScheduledLog;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** A checkpoint of the repository's log signed on the daemon's schedule ({@code schedule.checkpoint}); never runs twice at once. */
@DisallowConcurrentExecution
public final class CheckpointJob implements Job {

    public static final String NAME = "checkpoint";

    private final ScheduledLog log;
    private final JobTracker tracker;

    CheckpointJob(ScheduledLog log, JobTracker tracker) {
        this.log = log;
        this.tracker = tracker;
    }

    @Override
    public void execute(JobExecutionContext context) {
        tracker.run(NAME, () -> outcome(log));
    }

    /** One run's work and what it found (shared by the daemon's schedule and a fleet worker's). */
    static JobOutcome outcome(ScheduledLog log) throws Exception {
        ScheduledLog.Outcome outcome = log.checkpoint();
        return new JobOutcome(outcome.findings(), false, outcome.summary());
    }
}
