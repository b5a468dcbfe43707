package dev.vigil.core.repository;

import dev.vigil.core.PartitionId;
import dev.vigil.core.store.ObjectStore;
import java.io.IOException;
import java.util.List;

/**
 * What a restore drill leaves in the repository, under {@code partitions/<pid>/drills/<time>.json}: the LSN it
 * restored, whether the result matched the reference, when, how long it took, what it proved (items, digest, checks)
 * or why it failed. Written by restore drills (scheduled or {@code vigil drill}); read by reports and status.
 */
public record DrillRecord(
        String partition,
        long lsn,
        boolean passed,
        String time,
        long durationMillis,
        long items,
        String digestRoot,
        List<String> checks,
        String error) {

    public DrillRecord {
        checks = checks == null ? List.of() : List.copyOf(checks);
    }

    /** The drill records of a partition, oldest first. */
    public static List<DrillRecord> all(ObjectStore store, PartitionId partition) throws IOException {
        return JsonDocuments.readAll(store, RepositoryLayout.drillsPrefix(partition), DrillRecord.class);
    }
}
