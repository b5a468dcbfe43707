package dev.vigil.cli.daemon;

import dev.vigil.cli.ScheduledKeyCheck;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** The key check on the daemon's schedule ({@code schedule.key-check}); never runs twice at once. */
@DisallowConcurrentExecution
public final class KeyCheckJob implements Job {

    public static final String NAME = "key-check";

    private final ScheduledKeyCheck check;
    private final JobTracker tracker;

    KeyCheckJob(ScheduledKeyCheck check, JobTracker tracker) {
        this.check = check;
        this.tracker = tracker;
    }

    @Override
    public void execute(JobExecutionContext context) {
        tracker.run(NAME, () -> outcome(check));
    }

    /** One run's work and what it found (shared by the daemon's schedule and a fleet worker's). */
    static JobOutcome outcome(ScheduledKeyCheck check) throws Exception {
        ScheduledKeyCheck.Outcome outcome = check.run();
        return new JobOutcome(outcome.problems(), false, outcome.summary());
    }
}
