package dev.vigil.cli.daemon;

import dev.vigil.archiver.ArchiveReport;
import dev.vigil.archiver.Archiver;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** The archive pass on the daemon's schedule; never runs twice at once. */
@DisallowConcurrentExecution
public final class ArchiveJob implements Job {

    public static final String NAME = "archive";

    private final Archiver archiver;
    private final JobTracker tracker;

    ArchiveJob(Archiver archiver, JobTracker tracker) {
        this.archiver = archiver;
        this.tracker = tracker;
    }

    @Override
    public void execute(JobExecutionContext context) {
        tracker.run(NAME, () -> {
            ArchiveReport report = archiver.runPass();
            int findings = report.partitions().stream()
                    .mapToInt(p -> p.findings().size())
                    .sum();
            return new JobOutcome(
                    findings,
                    report.hasErrors(),
                    report.uploaded() + " segment(s) uploaded in "
                            + report.partitions().size() + " partition(s), " + findings + " finding(s)"
                            + (report.hasErrors() ? ", with errors" : ""));
        });
    }
}
