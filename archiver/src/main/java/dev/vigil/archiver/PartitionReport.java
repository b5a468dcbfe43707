package dev.vigil.archiver;

import java.util.List;

/**
 * What one pass did for one partition. {@code archivedLsn} is -1 when nothing is archived contiguously yet;
 * {@code lagSeconds} is the age of the oldest sealed segment still waiting (0 when none waits).
 */
public record PartitionReport(
        String partition,
        int uploaded,
        int alreadyArchived,
        int diverged,
        int corrupt,
        int failed,
        long bytesUploaded,
        long archivedLsn,
        long lagSeconds,
        long lagBytes,
        List<String> delayedGaps,
        List<String> lostGaps,
        List<String> findings,
        List<String> errors) {

    public PartitionReport {
        delayedGaps = List.copyOf(delayedGaps);
        lostGaps = List.copyOf(lostGaps);
        findings = List.copyOf(findings);
        errors = List.copyOf(errors);
    }
}
