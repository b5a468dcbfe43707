package dev.vigil.restore;

import dev.vigil.core.PartitionId;
import dev.vigil.core.io.DurableFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One restore as it goes: where it works (a work directory and a staging directory beside the target, both removed
 * when it ends), the phase it is in (named when it is interrupted), where the replay started and how much it read,
 * and the snapshots it had to skip. The replay's callbacks update it from the replay's threads.
 */
final class RestoreRun {

    private final PartitionId partition;
    private final long lsn;
    private final Path target;
    private final Path work;
    private final Path staging;
    private final List<String> skippedSnapshots = new CopyOnWriteArrayList<>();
    private volatile String phase = "choosing a starting point";
    private volatile long startLsn;
    private volatile long replayedBytes;

    RestoreRun(PartitionId partition, long lsn, Path target, Path work, Path staging) {
        this.partition = partition;
        this.lsn = lsn;
        this.target = target;
        this.work = work;
        this.staging = staging;
    }

    Path work() {
        return work;
    }

    Path staging() {
        return staging;
    }

    void phase(String now) {
        phase = now;
    }

    void startedAt(long lsnOfStart) {
        startLsn = lsnOfStart;
    }

    long startLsn() {
        return startLsn;
    }

    void replayed(long bytes) {
        replayedBytes = bytes;
    }

    long replayedBytes() {
        return replayedBytes;
    }

    void skipped(String snapshot) {
        skippedSnapshots.add(snapshot);
    }

    List<String> skippedSnapshots() {
        return List.copyOf(skippedSnapshots);
    }

    /** The error an interrupt becomes: what was going on, and that nothing was written. */
    RestoreException interrupted(Exception cause) {
        return new RestoreException(
                RestoreException.Kind.INTERRUPTED,
                "the restore of " + partition + " to LSN " + lsn
                        + " was interrupted while " + phase + ". Nothing was written to " + target
                        + "; the partial work in "
                        + work + " and " + staging + " is removed. Run the same command again to restore.",
                cause);
    }

    /** Removes the work and staging directories; the cleanup is not cut short by the interrupt that may have ended it. */
    void cleanUp() throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            DurableFiles.deleteRecursively(work);
            DurableFiles.deleteRecursively(staging);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
