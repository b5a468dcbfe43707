package dev.vigil.reference;

import dev.vigil.core.PartitionId;
import java.nio.file.Path;

/**
 * Where a {@link ReferenceState} keeps its RocksDB database, and therefore how it stores values and whether it
 * outlives the run that built it.
 */
public sealed interface ReferenceLocation {

    /** The RocksDB database directory. */
    Path database();

    /** A directory for the SST files a load writes before the database ingests them. */
    Path ingestStaging();

    /** Vigil's own reference of a partition in its work directory. */
    static ReferenceLocation work(Path workDir, PartitionId partition) {
        return new Work(workDir.resolve("reference").resolve(partition.value()));
    }

    /** A database in the storage node's format at {@code database}: what a restore writes. */
    static ReferenceLocation replica(Path database) {
        return new Replica(database);
    }

    /**
     * Vigil's reference in its work directory: each value is stored behind the LSN of the record that wrote it (so
     * that snapshots and restores can name it), and the state is saved between runs beside the database.
     *
     * @param directory the partition's directory under the work directory; the database is its {@code db}
     */
    record Work(Path directory) implements ReferenceLocation {
        @Override
        public Path database() {
            return directory.resolve("db");
        }

        @Override
        public Path ingestStaging() {
            return directory.resolve("ingest");
        }
    }

    /**
     * A database in the storage node's format (values as written, the applied LSN under the contract's reserved
     * key): the product of a restore, built in place so that nothing is written twice. It keeps no LSN per item
     * and is never saved as a reference.
     */
    record Replica(Path database) implements ReferenceLocation {
        @Override
        public Path ingestStaging() {
            return database.resolve(".ingest");
        }
    }
}
