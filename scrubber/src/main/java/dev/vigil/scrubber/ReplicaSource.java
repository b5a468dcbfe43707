package dev.vigil.scrubber;

import java.io.IOException;
import java.nio.file.Path;

/**
 * How Vigil reads a live replica without disturbing it: by taking a consistent, immutable view of it into
 * Vigil's own work directory, and reading only that view. The built-in implementation is
 * {@link RocksDbReplicaSource}; another store engine needs only this interface.
 *
 * <p>Contract: {@link #checkpoint} never writes to, locks or deletes anything of the node's; it creates
 * {@code target} (which must not exist) and nothing else. Implementations are thread safe.
 */
public interface ReplicaSource {

    /** Takes a consistent view of {@code replica} into {@code target} and opens it for reading. */
    ReplicaView checkpoint(LocalReplica replica, Path target) throws IOException;

    /** Opens a view taken earlier (for a drill-down into the state a report described). */
    ReplicaView open(Path checkpoint) throws IOException;
}
