package dev.vigil.core.config;

import java.time.Duration;

/**
 * Tuning of the archiver ({@code archive} section of the configuration).
 *
 * @param concurrency    most uploads in flight at once (the limit drops when the store throttles)
 * @param rpo            an unarchived sealed segment older than this raises {@code ARCHIVE_LAG}
 * @param gapGrace       a gap in the archive that no local segment can fill, older than this, is lost
 * @param retryBase      first pause before retrying a partition whose upload failed; doubles per failure
 * @param retryMax       longest such pause
 * @param staleUploadAge incomplete multipart uploads older than this are aborted
 * @param continuityCheckInterval how often a partition with nothing new is listed in the repository to check
 *                       for gaps and overlaps (passes in between only look at the local WAL directory)
 * @param rescanInterval how often the daemon's archiver, which otherwise looks only at the WAL directories the file
 *                       system reported changed, scans every partition anyway (a safety net where notifications are
 *                       unreliable); zero: no notifications, every pass scans every partition
 */
public record ArchiveConfig(
        int concurrency,
        Duration rpo,
        Duration gapGrace,
        Duration retryBase,
        Duration retryMax,
        Duration staleUploadAge,
        Duration continuityCheckInterval,
        Duration rescanInterval) {

    /** With the default rescan interval. */
    public ArchiveConfig(
            int concurrency,
            Duration rpo,
            Duration gapGrace,
            Duration retryBase,
            Duration retryMax,
            Duration staleUploadAge,
            Duration continuityCheckInterval) {
        this(
                concurrency,
                rpo,
                gapGrace,
                retryBase,
                retryMax,
                staleUploadAge,
                continuityCheckInterval,
                Duration.ofMinutes(5));
    }

    public ArchiveConfig {
        if (concurrency < 1) {
            throw new IllegalArgumentException("archive concurrency must be at least 1, was " + concurrency);
        }
        if (retryMax.compareTo(retryBase) < 0) {
            throw new IllegalArgumentException("retry-max " + retryMax + " is shorter than retry-base " + retryBase);
        }
    }

    public static ArchiveConfig defaults() {
        return new ArchiveConfig(
                4,
                Duration.ofMinutes(5),
                Duration.ofMinutes(15),
                Duration.ofSeconds(5),
                Duration.ofMinutes(5),
                Duration.ofHours(1),
                Duration.ofMinutes(10),
                Duration.ofMinutes(5));
    }
}
