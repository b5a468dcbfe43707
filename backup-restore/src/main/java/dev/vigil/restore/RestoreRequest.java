package dev.vigil.restore;

import dev.vigil.core.PartitionId;
import java.nio.file.Path;

/**
 * A restore to run.
 *
 * @param force         replace a non-empty target directory (it is replaced only after the new state is verified)
 * @param acceptArchive install the archive's version even when what the replicas reported at that LSN contradicts it
 *                      (an {@code ARCHIVE_DIVERGED} or {@code NO_MAJORITY} verdict, or scrub reports that agree with
 *                      each other and not with the archive): an operator's explicit decision, recorded in the checks
 */
public record RestoreRequest(
        PartitionId partition,
        RestoreTarget target,
        Path directory,
        RestoreFormat format,
        boolean force,
        boolean acceptArchive) {

    /** A restore that refuses to call a contradicted archive verified. */
    public RestoreRequest(
            PartitionId partition, RestoreTarget target, Path directory, RestoreFormat format, boolean force) {
        this(partition, target, directory, format, force, false);
    }
}
