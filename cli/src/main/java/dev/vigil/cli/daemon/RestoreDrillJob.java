package dev.vigil.cli.daemon;

import dev.vigil.core.repository.DrillRecord;
import dev.vigil.restore.RestoreDrill;
import java.util.Optional;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** Restores a random partition at a random point of the window and verifies it; never runs twice at once. */
@DisallowConcurrentExecution
public final class RestoreDrillJob implements Job {

    public static final String NAME = "restore-drill";

    private final RestoreDrill drill;
    private final JobTracker tracker;

    RestoreDrillJob(RestoreDrill drill, JobTracker tracker) {
        this.drill = drill;
        this.tracker = tracker;
    }

    @Override
    public void execute(JobExecutionContext context) {
        tracker.run(NAME, () -> outcome(drill));
    }

    /** One run's work and what it found (shared by the daemon's schedule and a fleet worker's). */
    static JobOutcome outcome(RestoreDrill drill) throws Exception {
        Optional<DrillRecord> record = drill.run();
        if (record.isEmpty()) {
            return new JobOutcome(0, false, "nothing archived yet");
        }
        DrillRecord r = record.get();
        return new JobOutcome(
                r.passed() ? 0 : 1,
                false,
                "partition " + r.partition() + " at LSN " + r.lsn() + ": "
                        + (r.passed() ? "restored and verified" : "FAILED: " + r.error()));
    }
}
