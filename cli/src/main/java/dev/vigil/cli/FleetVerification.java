package dev.vigil.cli;

import dev.vigil.core.config.FleetConfig;
import dev.vigil.fleet.PartitionTask;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What {@code vigil status} says about a partition's verification by the fleet: its task's state and, when it needs
 * attention, why in words an operator can act on (no scrub report, an archive gap, failing since when and why, not
 * yet scheduled, waiting for a worker).
 *
 * @param state        {@code not-scheduled}, {@code failing}, {@code running}, {@code waiting} or {@code scheduled}
 * @param overdue      as the fleet's gauges count it ({@code fleet.overdue-after})
 * @param why          one line: the state, and for an overdue or failing partition the most likely cause
 * @param lastVerified the last successful verification (ISO-8601)
 * @param nextDue      when it is next due (ISO-8601)
 * @param heldBy       the worker verifying it now
 * @param failures     failed runs in a row
 */
record FleetVerification(
        String state,
        boolean overdue,
        String why,
        @Nullable String lastVerified,
        @Nullable String nextDue,
        @Nullable String heldBy,
        int failures) {

    /** Whether the partition's line in {@code vigil status} is an ATTENTION line. */
    boolean needsAttention() {
        return overdue || state.equals("failing") || state.equals("not-scheduled");
    }

    /**
     * @param task   the partition's task, if the fleet has one
     * @param status what the repository says about the partition (scrub reports, gaps)
     */
    static FleetVerification of(Optional<PartitionTask> task, PartitionStatus status, FleetConfig config, Instant now) {
        if (task.isEmpty()) {
            return new FleetVerification(
                    "not-scheduled",
                    false,
                    "no verification task: a worker's discovery adds it within fleet.discover-every ("
                            + config.discoverEvery() + "); if it stays, check that workers run (vigil worker)",
                    null,
                    null,
                    null,
                    0);
        }
        PartitionTask t = task.get();
        boolean overdue = t.overdue(config, now);
        String last = t.lastVerified().map(Instant::toString).orElse(null);
        String next = t.nextDue().toString();
        String verified = t.lastVerified()
                .map(at -> "last verified " + at
                        + t.verifiedBy().map(w -> " by " + w).orElse(""))
                .orElse("never verified");
        if (t.failures() > 0) {
            return new FleetVerification(
                    "failing",
                    overdue,
                    "failing since " + t.failingSince().map(Instant::toString).orElse("(not recorded)") + " ("
                            + t.failures() + " run(s) in a row): "
                            + t.failure().orElse("the reason was not recorded; see the workers' logs") + causes(status)
                            + "; " + verified + ", next try at " + next,
                    last,
                    next,
                    null,
                    t.failures());
        }
        if (t.heldBy().isPresent()) {
            return new FleetVerification(
                    "running",
                    overdue,
                    "being verified by " + t.heldBy().get() + "; " + verified,
                    last,
                    next,
                    t.heldBy().get(),
                    0);
        }
        Duration waiting = t.waiting(now);
        if (waiting.isPositive()) {
            return new FleetVerification(
                    "waiting",
                    overdue,
                    "due since " + next + " (" + waiting.toSeconds() + " s), waiting for a free worker"
                            + (overdue ? ": the fleet is behind (add workers or fleet.threads) or no worker runs" : "")
                            + causes(status) + "; " + verified,
                    last,
                    next,
                    null,
                    0);
        }
        return new FleetVerification(
                "scheduled", overdue, verified + ", next at " + next + causes(status), last, next, null, 0);
    }

    /** What the repository shows that stops a verification from judging anything. */
    private static String causes(PartitionStatus status) {
        StringBuilder causes = new StringBuilder();
        if (status.replicas().isEmpty()) {
            causes.append("; no replica has a scrub report in the repository (is the node agents' scrub running?)");
        }
        if (!status.gaps().isEmpty()) {
            causes.append("; the archive has gap(s) ")
                    .append(String.join(", ", status.gaps()))
                    .append(": reports past a gap cannot be judged until it is archived");
        }
        return causes.toString();
    }
}
