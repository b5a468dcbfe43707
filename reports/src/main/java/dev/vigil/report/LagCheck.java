package dev.vigil.report;

import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.repository.VerificationState;
import dev.vigil.core.store.ObjectStore;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@link Requirement#ARCHIVE_LAG}: how long records waited before their segment was stored (each segment first archived
 * in the period), and whether the archive went stale while a replica kept applying records beyond its end.
 */
final class LagCheck {

    private final ObjectStore store;
    private final ReportRequirements requirements;

    LagCheck(ObjectStore store, ReportRequirements requirements) {
        this.store = store;
        this.requirements = requirements;
    }

    /** The partition's lag in the period; a lag above {@code archive.rpo} or a stale archive is a reason. */
    ComplianceReport.Lag check(
            PartitionEvidence evidence, ComplianceReport.Coverage coverage, Instant start, Instant now, Reasons reasons)
            throws IOException {
        ComplianceReport.Lag lag = lag(evidence, start, now);
        if (lag.measured() > 0 && lag.maxSeconds() > requirements.rpo().toMillis() / 1000.0) {
            reasons.add(
                    Requirement.ARCHIVE_LAG,
                    String.format(
                            Locale.ROOT,
                            "archive lag reached %.1f s (p99 %.1f s)," + " above archive.rpo (%s)",
                            lag.maxSeconds(),
                            lag.p99Seconds(),
                            Human.duration(requirements.rpo())));
        }
        stale(evidence, coverage, now).ifPresent(reason -> reasons.add(Requirement.ARCHIVE_LAG, reason));
        return lag;
    }

    /**
     * For each segment first archived in the period: the time from its first record being written to it being
     * stored. A segment stored again after a repair counts with its first store time, which the verification state
     * remembers; the replacement's own time says when the repair happened, not how long the records waited.
     */
    private ComplianceReport.Lag lag(PartitionEvidence evidence, Instant start, Instant now) throws IOException {
        List<LagStatistics.Sample> samples = new ArrayList<>();
        int inPeriod = 0;
        int storedAgain = 0;
        for (ArchivedSegment segment : evidence.segments()) {
            Instant stored = evidence.verification()
                    .entry(segment.key())
                    .map(VerificationState.Entry::firstArchivedAt)
                    .filter(first -> first.isBefore(segment.lastModified()))
                    .orElse(segment.lastModified());
            if (stored.isBefore(start) || stored.isAfter(now)) {
                continue;
            }
            inPeriod++;
            if (stored.isBefore(segment.lastModified())) {
                storedAgain++;
            }
            Optional<Instant> written = evidence.firstRecordTime(store, segment);
            if (written.isPresent()) {
                Duration lag = Duration.between(written.get(), stored);
                samples.add(new LagStatistics.Sample(stored, lag.isNegative() ? Duration.ZERO : lag));
            }
        }
        return LagStatistics.of(inPeriod, storedAgain, samples);
    }

    /**
     * An archive gone stale while the node keeps writing: a replica published a scrub report at an LSN beyond the
     * archive's end, so the records after the end were written by that report's store time at the latest, and have
     * waited at least since then. When that wait exceeds {@code archive.rpo}, the lag requirement fails even though no
     * segment was archived late (none was archived at all).
     */
    private Optional<String> stale(PartitionEvidence evidence, ComplianceReport.Coverage coverage, Instant now) {
        long end = coverage.lastLsn();
        return evidence.scrubs().stream()
                .filter(s -> s.lsn() > end)
                .min(Comparator.comparing(PartitionEvidence.ScrubSeen::storedAt))
                .filter(first -> Duration.between(first.storedAt(), now).compareTo(requirements.rpo()) > 0)
                .map(first -> "the archive is stale: replica " + first.replica() + " had applied LSN " + first.lsn()
                        + " by " + Human.time(first.storedAt())
                        + " (its scrub report), but the archive still ends at LSN "
                        + end
                        + (coverage.lastStoredAt() == null
                                ? " (nothing archived)"
                                : " (last stored " + Human.time(coverage.lastStoredAt()) + ")")
                        + ": records after it have waited at least "
                        + Human.duration(Duration.between(first.storedAt(), now)) + ", above archive.rpo ("
                        + Human.duration(requirements.rpo())
                        + "); check the node's daemon (vigil status, its /health)");
    }
}
