package dev.vigil.cli.daemon;

import dev.vigil.cli.ScheduledLog;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** The repository audited against its log on the daemon's schedule ({@code schedule.audit}); never runs twice at once. */
@DisallowConcurrentExecution
public final class AuditJob implements Job {

    public static final String NAME = "audit";

    private final ScheduledLog log;
    private final JobTracker tracker;

    AuditJob(ScheduledLog log, JobTracker tracker) {
        this.log = log;
        this.tracker = tracker;
    }

    @Override
    public void execute(JobExecutionContext context) {
        tracker.run(NAME, () -> outcome(log));
    }

    /** One run's work and what it found (shared by the daemon's schedule and a fleet worker's). */
    static JobOutcome outcome(ScheduledLog log) throws Exception {
        ScheduledLog.Outcome outcome = log.audit();
        return new JobOutcome(outcome.findings(), false, outcome.summary());
    }
}
