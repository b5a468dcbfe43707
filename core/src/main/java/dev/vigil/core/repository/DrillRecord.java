package dev.vigil.core.repository;

import dev.vigil.core.PartitionId;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a restore drill leaves in the repository, under {@code partitions/<pid>/drills/<time>.json}: the LSN it
 * restored, whether the result matched the reference, when, how long it took, what it proved (items, digest, checks)
 * or why it failed. Written by restore drills (scheduled or {@code vigil drill}); read by reports and status.
 */
public record DrillRecord(
        int version,
        PartitionId partition,
        long lsn,
        boolean passed,
        Instant time,
        long durationMillis,
        long items,
        @Nullable String digestRoot,
        List<String> checks,
        @Nullable String error)
        implements VersionedDocument {

    /** The format version written now, and the newest this Vigil reads. */
    public static final int VERSION = 1;

    public DrillRecord {
        version = Math.max(version, 1);
        checks = checks == null ? List.of() : List.copyOf(checks);
    }
}
