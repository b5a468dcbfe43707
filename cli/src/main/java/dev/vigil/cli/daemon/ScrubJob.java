package dev.vigil.cli.daemon;

import dev.vigil.core.config.ScrubConfig;
import dev.vigil.scrubber.ScrubOutcome;
import dev.vigil.scrubber.Scrubber;
import java.time.Clock;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** The scrub of local replicas on the daemon's schedule, only inside {@code scrub.window}; never overlaps itself. */
@DisallowConcurrentExecution
public final class ScrubJob implements Job {

    public static final String NAME = "scrub";

    private final Scrubber scrubber;
    private final ScrubConfig config;
    private final ZoneId zone;
    private final JobTracker tracker;
    private final Clock clock;

    ScrubJob(Scrubber scrubber, ScrubConfig config, ZoneId zone, JobTracker tracker, Clock clock) {
        this.scrubber = scrubber;
        this.config = config;
        this.zone = zone;
        this.tracker = tracker;
        this.clock = clock;
    }

    @Override
    public void execute(JobExecutionContext context) {
        tracker.run(NAME, () -> {
            if (!config.inWindow(LocalTime.now(clock.withZone(zone)))) {
                return new JobOutcome(
                        0,
                        false,
                        "outside the scrub window " + config.windowStart().orElseThrow() + "-"
                                + config.windowEnd().orElseThrow() + ": skipped");
            }
            List<ScrubOutcome> outcomes = scrubber.scrub(Optional.empty());
            int findings =
                    (int) outcomes.stream().filter(o -> o.finding().isPresent()).count();
            boolean failed = outcomes.stream().anyMatch(o -> o.error().isPresent());
            return new JobOutcome(
                    findings,
                    failed,
                    outcomes.size() + " replica(s) scrubbed, " + findings + " with bit rot"
                            + (failed ? ", some failed" : ""));
        });
    }
}
