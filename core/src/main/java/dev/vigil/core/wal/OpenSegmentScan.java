package dev.vigil.core.wal;

import java.util.Optional;

/**
 * What an open segment file holds: its header (absent when torn), the length of its valid prefix, the
 * records in that prefix, and the torn tail after it. {@code sealed} is set when the file already ends
 * with a valid seal (its writer crashed between sealing and renaming); then {@code summary} is present.
 */
public record OpenSegmentScan(
        Optional<SegmentHeader> header,
        long validLength,
        long recordCount,
        long lastLsn,
        long firstTimestampMillis,
        long lastTimestampMillis,
        Optional<TornTail> tornTail,
        Optional<SegmentSummary> summary) {

    public boolean sealed() {
        return summary.isPresent();
    }
}
