package dev.vigil.replay;

import dev.vigil.core.PartitionId;
import dev.vigil.core.io.DurableFiles;
import java.io.IOException;
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

    /**
     * The RocksDB table {@code format_version} its SST files are written in; 0 for RocksDB's own default (the newest,
     * which older RocksDB releases cannot read).
     */
    int tableFormatVersion();

    /** Deletes whatever is here (the reference must be closed): a reference opened here next starts at LSN 0. */
    void discard() throws IOException;

    /** How each item is stored here. */
    Layout layout();

    /** How a location stores an item under its key. */
    enum Layout {
        /**
         * The LSN that last wrote the item (8 bytes) and its item hash (16 bytes), no value: the judge's reference,
         * whose size does not depend on the values' ({@link ReferenceLocation#work}).
         */
        HASHES,
        /** The value behind its 8-byte LSN: a restore's scratch reference that writes a Parquet or JSON Lines file. */
        VALUES_WITH_LSN,
        /** The value as the node stores it: a restore's RocksDB output. */
        VALUES
    }

    /**
     * The table format a restore writes unless told otherwise: 5, which every RocksDB from 6.6 on reads (6.x and 7.x
     * refuse the default of RocksDB 9 and later), so that a node on an older RocksDB can adopt what Vigil restores.
     */
    int DEFAULT_REPLICA_FORMAT_VERSION = 5;

    /** Vigil's own reference of a partition in its work directory: item hashes only, no values. */
    static Work work(Path workDir, PartitionId partition) {
        return new Work(workDir.resolve("reference").resolve(partition.value()), Layout.HASHES);
    }

    /**
     * A reference of a partition under {@code workDir} that keeps every value behind its LSN: what a restore writes
     * a Parquet or JSON Lines file from.
     */
    static Work workWithValues(Path workDir, PartitionId partition) {
        return new Work(workDir.resolve("reference").resolve(partition.value()), Layout.VALUES_WITH_LSN);
    }

    /** A database in the storage node's format at {@code database}: what a restore writes. */
    static ReferenceLocation replica(Path database) {
        return new Replica(database, DEFAULT_REPLICA_FORMAT_VERSION);
    }

    /**
     * A reference in a work directory: each item is stored behind the LSN of the record that wrote it, with its item
     * hash only ({@link Layout#HASHES}, the judge's) or its value ({@link Layout#VALUES_WITH_LSN}, a restore's), and the
     * state is saved between runs beside the database.
     *
     * @param directory the partition's directory under the work directory; the database is its {@code db}
     */
    record Work(Path directory, Layout layout) implements ReferenceLocation {
        public Work {
            if (layout == Layout.VALUES) {
                throw new IllegalArgumentException("a reference in the work directory keeps each item's LSN");
            }
        }

        @Override
        public Path database() {
            return directory.resolve("db");
        }

        @Override
        public Path ingestStaging() {
            return directory.resolve("ingest");
        }

        @Override
        public int tableFormatVersion() {
            return 0;
        }

        @Override
        public void discard() throws IOException {
            DurableFiles.deleteRecursively(directory);
        }
    }

    /**
     * A database in the storage node's format (values as written, the applied LSN under the contract's reserved
     * key): the product of a restore, built in place so that nothing is written twice. It keeps no LSN per item
     * and is never saved as a reference. Its SST files are written in {@code tableFormatVersion}.
     */
    record Replica(Path database, int tableFormatVersion) implements ReferenceLocation {

        /** The table format versions RocksDB 11 writes; 2 to 5 are read by RocksDB 6.6 and later. */
        public static final int OLDEST_FORMAT_VERSION = 2;

        public static final int NEWEST_FORMAT_VERSION = 7;

        public Replica {
            if (tableFormatVersion < OLDEST_FORMAT_VERSION || tableFormatVersion > NEWEST_FORMAT_VERSION) {
                throw new IllegalArgumentException("RocksDB table format_version " + tableFormatVersion
                        + " is not one Vigil writes (" + OLDEST_FORMAT_VERSION + " to " + NEWEST_FORMAT_VERSION + ")");
            }
        }

        @Override
        public Path ingestStaging() {
            return database.resolve(".ingest");
        }

        @Override
        public Layout layout() {
            return Layout.VALUES;
        }

        @Override
        public void discard() throws IOException {
            DurableFiles.deleteRecursively(database);
        }
    }
}
