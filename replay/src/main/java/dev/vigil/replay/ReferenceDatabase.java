package dev.vigil.replay;

import dev.vigil.core.Keys;
import dev.vigil.core.PartitionId;
import dev.vigil.core.digest.ItemHasher;
import dev.vigil.core.io.DurableFiles;
import dev.vigil.core.node.StorageNodeContract;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.List;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The RocksDB that holds a reference's items, and how an item is stored in it ({@link ReferenceLocation.Layout}):
 * behind the 8-byte LSN of the record that wrote it, with its item hash or its value, in a work directory
 * ({@link ReferenceLocation.Work}); as the node stores it in a restore's replica ({@link ReferenceLocation.Replica}). Its own WAL is disabled: the archive is the log, and durability comes from
 * {@link #flush()}. Owns the database and its options; not thread safe.
 */
final class ReferenceDatabase implements AutoCloseable {

    static {
        RocksDB.loadLibrary();
    }

    private final PartitionId partition;
    private final ReferenceLocation location;
    private final Options options;
    private final RocksDB db;
    private final WriteOptions writes = new WriteOptions().setDisableWAL(true);

    private ReferenceDatabase(PartitionId partition, ReferenceLocation location, Options options, RocksDB db) {
        this.partition = partition;
        this.location = location;
        this.options = options;
        this.db = db;
    }

    /** Opens (or creates) the database at {@code location}; {@code what} names it in the error. */
    static ReferenceDatabase open(ReferenceLocation location, PartitionId partition, String what) throws IOException {
        Files.createDirectories(location.database());
        Options options = options(location);
        try {
            return new ReferenceDatabase(
                    partition,
                    location,
                    options,
                    RocksDB.open(options, location.database().toString()));
        } catch (RocksDBException e) {
            options.close();
            throw new IOException(what + " at " + location.database() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens a new database at {@code location} holding the SST files of {@code writers}, ingested at once (bypassing
     * RocksDB's write path); the files' staging directory is removed after.
     */
    static ReferenceDatabase ingesting(ReferenceLocation location, PartitionId partition, List<SortedSstWriter> writers)
            throws IOException {
        ReferenceDatabase opened = open(location, partition, "cannot open the reference of " + partition);
        try {
            SortedSstWriter.ingestAll(writers, opened.db);
            DurableFiles.deleteRecursively(location.ingestStaging());
            return opened;
        } catch (IOException | RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    /**
     * Replay reads the old value of every key it writes: point lookups dominate, so the reference gets Bloom
     * filters, a block cache, and larger memtables than RocksDB's defaults (which have neither filter nor cache
     * to speak of).
     */
    private static Options options(ReferenceLocation location) {
        BlockBasedTableConfig table = new BlockBasedTableConfig()
                .setFilterPolicy(new BloomFilter(10, false))
                .setBlockCache(new LRUCache(64L * 1024 * 1024))
                .setCacheIndexAndFilterBlocks(true)
                .setPinL0FilterAndIndexBlocksInCache(true);
        if (location.tableFormatVersion() > 0) {
            // A restore's output: every flush and compaction writes tables an older RocksDB reads.
            table.setFormatVersion(location.tableFormatVersion());
        }
        return new Options()
                .setCreateIfMissing(true)
                .setTableFormatConfig(table)
                .setWriteBufferSize(64L * 1024 * 1024)
                .setMaxWriteBufferNumber(3)
                .setMaxBackgroundJobs(2);
    }

    /** Writes a filled batch, whole or not at all. */
    void write(WriteBatch batch) throws RocksDBException {
        db.write(writes, batch);
    }

    /** The stored values of {@code keys} (null where absent), in their order. */
    List<byte[]> storedValues(List<byte[]> keys) throws RocksDBException {
        return db.multiGetAsList(keys);
    }

    /** Calls {@code consumer} with every key and its value as stored, in key order. */
    void forEachStored(StoredConsumer consumer) throws IOException {
        try (ReadOptions read = new ReadOptions().setFillCache(false);
                RocksIterator it = db.newIterator(read)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                consumer.accept(it.key(), it.value());
            }
            try {
                it.status();
            } catch (RocksDBException e) {
                throw new IOException("cannot read the reference of " + partition + ": " + e.getMessage(), e);
            }
        }
    }

    /** Receives a key and its value as stored. */
    @FunctionalInterface
    interface StoredConsumer {
        void accept(byte[] key, byte[] stored) throws IOException;
    }

    /** Writes everything held in memory to SST files and waits until it is there. */
    void flush() throws IOException {
        try {
            db.flushWal(true);
            try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                db.flush(flush);
            }
        } catch (RocksDBException e) {
            throw new IOException("cannot flush the reference of " + partition + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code lsn} under the storage node contract's applied-LSN key and flushes (a replica's completion). */
    void completeAt(long lsn) throws IOException {
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.put(
                    writes,
                    StorageNodeContract.appliedLsnKey(),
                    ByteBuffer.allocate(Long.BYTES).putLong(lsn).array());
            db.flush(flush);
        } catch (RocksDBException e) {
            throw new IOException(
                    "cannot complete the database of " + partition + " at " + location.database() + ": "
                            + e.getMessage(),
                    e);
        }
    }

    /**
     * An item as stored at {@code location}: behind its LSN, with its item hash ({@code [high, low]}) or its value,
     * in the work directory; the value as is in a replica.
     */
    static byte[] encode(ReferenceLocation location, long lsn, byte[] value, long[] itemHash) {
        return switch (location.layout()) {
            case HASHES -> hashed(lsn, itemHash);
            case VALUES_WITH_LSN -> stored(lsn, value);
            case VALUES -> value;
        };
    }

    /** The 24 bytes a hash-only reference stores per item: the LSN, then the item hash's high and low halves. */
    static byte[] hashed(long lsn, long[] itemHash) {
        return ByteBuffer.allocate(HASHED_BYTES)
                .putLong(lsn)
                .putLong(itemHash[0])
                .putLong(itemHash[1])
                .array();
    }

    /** Bytes per item a hash-only reference stores beside the key. */
    static final int HASHED_BYTES = 3 * Long.BYTES;

    /** A value behind its 8-byte LSN, as a restore's scratch reference stores it. */
    static byte[] stored(long lsn, byte[] value) {
        return ByteBuffer.allocate(Long.BYTES + value.length)
                .putLong(lsn)
                .put(value)
                .array();
    }

    /** The value a stored item holds; a hash-only reference holds none. */
    byte[] value(byte[] stored) {
        return switch (location.layout()) {
            case HASHES ->
                throw new IllegalStateException("the reference of " + partition + " at " + location.database()
                        + " keeps item hashes, no values");
            case VALUES_WITH_LSN -> Arrays.copyOfRange(stored, Long.BYTES, stored.length);
            case VALUES -> stored;
        };
    }

    /** Writes the item hash of the stored item {@code key} into {@code itemHash}: as stored, or hashed from its value. */
    void itemHash(byte[] key, byte[] stored, ItemHasher hasher, long[] itemHash) throws IOException {
        if (location.layout() != ReferenceLocation.Layout.HASHES) {
            hasher.hash(key, value(stored), itemHash);
            return;
        }
        if (stored.length != HASHED_BYTES) {
            throw new IOException("the reference of " + partition + " at " + location.database() + " holds "
                    + stored.length + " bytes for key " + Keys.printable(key) + " where an item hash takes "
                    + HASHED_BYTES + ": it is damaged; delete "
                    + location.database().getParent()
                    + " and it is rebuilt");
        }
        ByteBuffer buffer = ByteBuffer.wrap(stored);
        itemHash[0] = buffer.getLong(Long.BYTES);
        itemHash[1] = buffer.getLong(2 * Long.BYTES);
    }

    /** The LSN a stored item of a work directory's reference carries. */
    static long lsnOf(byte[] stored) {
        return ByteBuffer.wrap(stored, 0, Long.BYTES).getLong();
    }

    /**
     * Bytes the database's files take on disk (SST files and what else RocksDB keeps in its directory). RocksDB deletes
     * files in the background (after a compaction) while they are counted: a file gone meanwhile counts for nothing.
     */
    long diskBytes() throws IOException {
        long[] bytes = {0};
        Files.walkFileTree(location.database(), new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                bytes[0] += attributes.isRegularFile() ? attributes.size() : 0;
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        return bytes[0];
    }

    @Override
    public void close() {
        writes.close();
        db.close();
        options.close();
    }
}
