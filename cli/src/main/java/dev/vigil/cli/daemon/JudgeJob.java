package dev.vigil.cli.daemon;

import dev.vigil.cli.ReferenceSizes;
import dev.vigil.core.repository.Verdict;
import dev.vigil.reference.Judge;
import java.util.List;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** Builds references forward and judges pending scrub reports; never runs twice at once. */
@DisallowConcurrentExecution
public final class JudgeJob implements Job {

    public static final String NAME = "judge";

    private final Judge judge;
    private final ReferenceSizes sizes;
    private final JobTracker tracker;

    JudgeJob(Judge judge, ReferenceSizes sizes, JobTracker tracker) {
        this.judge = judge;
        this.sizes = sizes;
        this.tracker = tracker;
    }

    @Override
    public void execute(JobExecutionContext context) {
        tracker.run(NAME, () -> {
            List<Judge.Outcome> outcomes = judge.judgeAll();
            sizes.record(outcomes);
            long verdicts =
                    outcomes.stream().mapToLong(o -> o.verdicts().size()).sum();
            int findings = (int) outcomes.stream()
                    .flatMap(o -> o.verdicts().stream())
                    .filter(v -> v.status() != Verdict.Status.CLEAN)
                    .count();
            boolean pending = outcomes.stream().anyMatch(o -> o.stoppedAt().isPresent());
            return new JobOutcome(
                    findings,
                    pending,
                    verdicts + " verdict(s), " + findings + " not clean"
                            + (pending ? "; some reports wait for the archive" : ""));
        });
    }
}
