package dev.vigil.cli.daemon;

import dev.vigil.scrubber.NodeCopyCheck;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/**
 * A node agent's comparison of its local sealed segments with the archive, on {@code schedule.verify-archive}, when a
 * fleet verifies the archive itself (without a fleet, {@link ArchiveVerifyJob} re-reads the archive on the node and
 * compares as it goes); never runs twice at once.
 */
@DisallowConcurrentExecution
public final class NodeCopyJob implements Job {

    public static final String NAME = "compare-node-copies";

    private final NodeCopyCheck check;
    private final JobTracker tracker;

    NodeCopyJob(NodeCopyCheck check, JobTracker tracker) {
        this.check = check;
        this.tracker = tracker;
    }

    @Override
    public void execute(JobExecutionContext context) {
        tracker.run(NAME, () -> {
            NodeCopyCheck.Report report = check.check();
            return new JobOutcome(report.findings().size(), !report.errors().isEmpty(), report.summary());
        });
    }
}
