package dev.vigil.cli.daemon;

import dev.vigil.restore.Retention;
import java.util.List;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** Expires what no restore inside the window needs; never runs twice at once. */
@DisallowConcurrentExecution
public final class RetentionJob implements Job {

    public static final String NAME = "retention";

    private final Retention retention;
    private final JobTracker tracker;

    RetentionJob(Retention retention, JobTracker tracker) {
        this.retention = retention;
        this.tracker = tracker;
    }

    @Override
    public void execute(JobExecutionContext context) {
        tracker.run(NAME, () -> outcome(retention));
    }

    /** One run's work and what it found (shared by the daemon's schedule and a fleet worker's). */
    static JobOutcome outcome(Retention retention) throws Exception {
        List<Retention.PartitionOutcome> outcomes = retention.run(false);
        int refused = outcomes.stream().mapToInt(o -> o.refused().size()).sum();
        long segments =
                outcomes.stream().mapToLong(o -> o.expiredSegments().size()).sum();
        long snapshots =
                outcomes.stream().mapToLong(o -> o.expiredSnapshots().size()).sum();
        long locked = outcomes.stream().mapToLong(o -> o.locked().size()).sum();
        return new JobOutcome(
                refused,
                refused > 0,
                segments + " segment(s) and " + snapshots + " snapshot(s) expired"
                        + (refused > 0 ? ", " + refused + " delete(s) refused" : "")
                        + (locked > 0 ? ", " + locked + " kept until their Object Lock expires" : ""));
    }
}
