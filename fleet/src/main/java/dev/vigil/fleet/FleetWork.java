package dev.vigil.fleet;

import dev.vigil.core.PartitionId;
import java.io.IOException;
import java.util.Set;

/**
 * What a worker does for a partition's tasks ({@code verify-partition}, {@code verify-partition-archive},
 * {@code snapshot-partition}), and which partitions there are. Implementations
 * must be thread safe (a worker runs several tasks at once, never two of one partition) and idempotent: a task a dead
 * worker left half done runs again on another worker, so work already done (a verdict already stored) must be
 * recognised and not repeated.
 */
public interface FleetWork {

    /** Every partition the repository holds (archived WAL or scrub reports); each becomes a task. */
    Set<PartitionId> partitions() throws IOException;

    /**
     * Verifies one partition: brings its reference to each pending scrub report and judges every replica's report
     * there. Throwing marks the task failed (retried later, counted as failing), and must be done whenever a pending
     * report could not be judged (the archive does not reach it yet): returning means every pending report was
     * judged, which the fleet records as the partition's last verification.
     *
     * @return a one-line summary for the log
     */
    String verifyPartition(PartitionId partition) throws Exception;

    /**
     * Re-reads the partition's archived objects that are due for verification and checks them record by record,
     * raising an alert for each damaged or missing one (a finding is a completed verification, not a failure). Throwing
     * marks the task failed: it must be done whenever the verification could not run or could not finish (the
     * repository unreachable), never returning as if the archive were verified.
     *
     * @return a one-line summary for the log
     */
    String verifyArchive(PartitionId partition) throws Exception;

    /**
     * Writes the partition's snapshot at its newest hash-state checkpoint when that is newer than its newest snapshot
     * (merged from the previous snapshot and the WAL since, published only if its digest is the checkpoint's), apart
     * from the judge so that merging never holds up a verification. Throwing marks the task failed (retried later);
     * a merged snapshot that disagrees with the checkpoint is a finding (an alert), published nowhere.
     *
     * @return a one-line summary for the log
     */
    String snapshotPartition(PartitionId partition) throws Exception;
}
