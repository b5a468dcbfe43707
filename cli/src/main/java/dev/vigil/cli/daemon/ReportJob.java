package dev.vigil.cli.daemon;

import dev.vigil.report.ComplianceReport;
import dev.vigil.report.ReportService;
import java.time.Instant;
import java.util.Optional;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** Writes the scheduled compliance report (one per scheduled time across all daemons); never runs twice at once. */
@DisallowConcurrentExecution
public final class ReportJob implements Job {

    public static final String NAME = "report";

    private final ReportService reports;
    private final JobTracker tracker;

    ReportJob(ReportService reports, JobTracker tracker) {
        this.reports = reports;
        this.tracker = tracker;
    }

    @Override
    public void execute(JobExecutionContext context) {
        tracker.run(NAME, () -> outcome(reports, context.getScheduledFireTime().toInstant()));
    }

    /** One run's work and what it found (shared by the daemon's schedule and a fleet worker's). */
    static JobOutcome outcome(ReportService reports, Instant scheduled) throws Exception {
        Optional<ReportService.Run> run = reports.publishScheduled(scheduled);
        if (run.isEmpty()) {
            return new JobOutcome(0, false, "another daemon or fleet worker writes this run's report");
        }
        ComplianceReport report = run.get().report();
        return new JobOutcome(
                report.reasons().size(),
                false,
                report.id() + ": "
                        + (report.compliant()
                                ? "compliant"
                                : "NOT compliant, " + report.reasons().size() + " reason(s)")
                        + "; " + run.get().published().keys().getFirst());
    }
}
