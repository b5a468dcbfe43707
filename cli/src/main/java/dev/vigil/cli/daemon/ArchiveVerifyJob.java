package dev.vigil.cli.daemon;

import dev.vigil.scrubber.ArchiveVerifier;
import dev.vigil.scrubber.VerifyReport;
import java.util.Optional;
import java.util.OptionalDouble;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** Archive verification on the daemon's schedule: re-reads what is due; never runs twice at once. */
@DisallowConcurrentExecution
public final class ArchiveVerifyJob implements Job {

    public static final String NAME = "verify-archive";

    private final ArchiveVerifier verifier;
    private final JobTracker tracker;

    ArchiveVerifyJob(ArchiveVerifier verifier, JobTracker tracker) {
        this.verifier = verifier;
        this.tracker = tracker;
    }

    @Override
    public void execute(JobExecutionContext context) {
        tracker.run(NAME, () -> outcome(verifier));
    }

    /** One run's work and what it found (shared by the daemon's schedule and a fleet worker's). */
    static JobOutcome outcome(ArchiveVerifier verifier) throws Exception {
        VerifyReport report = verifier.verify(Optional.empty(), OptionalDouble.empty());
        if (report.nothingToVerify()) {
            return new JobOutcome(0, false, "nothing archived yet");
        }
        return new JobOutcome(report.findingCount(), report.hasErrors(), report.summary());
    }
}
