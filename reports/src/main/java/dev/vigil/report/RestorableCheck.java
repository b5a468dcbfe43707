package dev.vigil.report;

import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.repository.RestorableRange;
import dev.vigil.core.store.ObjectStore;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link Requirement#RESTORABLE_WINDOW}: which LSNs can be restored (a chain from a snapshot or LSN 1 without a gap),
 * and whether the oldest restorable point is at least {@code retention.window} old.
 */
final class RestorableCheck {

    private final ObjectStore store;
    private final ReportRequirements requirements;

    RestorableCheck(ObjectStore store, ReportRequirements requirements) {
        this.store = store;
        this.requirements = requirements;
    }

    /** The restorable window; one that does not cover the policy's (when anything is archived) is a reason. */
    ComplianceReport.Restorable check(
            PartitionEvidence evidence, ComplianceReport.Coverage coverage, Instant now, Reasons reasons)
            throws IOException {
        ComplianceReport.Restorable restorable = restorable(evidence, coverage, now);
        if (!evidence.segments().isEmpty() && !restorable.meetsPolicy()) {
            reasons.add(Requirement.RESTORABLE_WINDOW, "restorable window: " + restorable.explanation());
        }
        return restorable;
    }

    private ComplianceReport.Restorable restorable(
            PartitionEvidence evidence, ComplianceReport.Coverage coverage, Instant now) throws IOException {
        Instant requiredFrom = now.minus(requirements.retentionWindow());
        Optional<RestorableRange> range =
                RestorableRange.of(evidence.segments(), evidence.snapshots().keySet());
        if (range.isEmpty()) {
            return new ComplianceReport.Restorable(
                    null,
                    null,
                    null,
                    requiredFrom,
                    false,
                    "nothing can be restored: the archive does not start at LSN 1 and no snapshot covers its start");
        }
        long oldest = range.get().oldestLsn();
        long newest = range.get().newestLsn();
        Optional<Instant> oldestTime = oldest == 0 ? Optional.empty() : timeOfState(evidence, oldest);
        List<String> problems = new ArrayList<>();
        if (newest < coverage.lastLsn()) {
            problems.add("restores stop at LSN " + newest + ", but the archive holds LSNs up to " + coverage.lastLsn()
                    + " (a gap breaks the chain)");
        }
        if (oldest > 0 && oldestTime.map(t -> t.isAfter(requiredFrom)).orElse(true)) {
            problems.add("the oldest restorable point is LSN " + oldest
                    + oldestTime.map(t -> " (" + Human.time(t) + ")").orElse("")
                    + ", later than the " + Human.duration(requirements.retentionWindow())
                    + " retention.window requires ("
                    + Human.time(requiredFrom) + ")");
        }
        String explanation = problems.isEmpty()
                ? "every LSN from " + oldest
                        + (oldest == 0
                                ? " (the partition's beginning)"
                                : oldestTime
                                        .map(t -> " (" + Human.time(t) + ")")
                                        .orElse(""))
                        + " to " + newest + " is restorable, which covers the "
                        + Human.duration(requirements.retentionWindow()) + " window"
                : String.join("; ", problems);
        return new ComplianceReport.Restorable(
                oldest, newest, oldestTime.orElse(null), requiredFrom, problems.isEmpty(), explanation);
    }

    /**
     * A time at which the partition's state was the one at {@code lsn}, or later: the first record time of the
     * segment holding {@code lsn + 1} (the state at {@code lsn} lasted until then), else the commit time of the
     * snapshot at {@code lsn}. Conservative: the window it implies is never wider than the truth.
     */
    private Optional<Instant> timeOfState(PartitionEvidence evidence, long lsn) throws IOException {
        for (ArchivedSegment segment : evidence.segments()) {
            if (segment.range().contains(lsn + 1)) {
                Optional<Instant> time = evidence.firstRecordTime(store, segment);
                if (time.isPresent()) {
                    return time;
                }
            }
        }
        return Optional.ofNullable(evidence.snapshots().get(lsn));
    }
}
