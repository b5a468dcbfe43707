package dev.vigil.restore;

import dev.vigil.core.PartitionId;
import java.nio.file.Path;

/**
 * A restore to run.
 *
 * @param force replace a non-empty target directory (it is replaced only after the new state is verified)
 */
public record RestoreRequest(PartitionId partition, RestoreTarget target, Path directory, RestoreFormat format,
                             boolean force) {
}
