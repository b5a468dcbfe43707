package dev.vigil.demo.node;

import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.node.StorageNodeContract;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.PreconditionFailedException;
import dev.vigil.core.store.PutRequest;
import dev.vigil.core.wal.FsyncPolicy;
import dev.vigil.core.wal.Op;
import dev.vigil.core.wal.SealedSegment;
import dev.vigil.core.wal.SegmentWriter;
import dev.vigil.core.wal.WalRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * One replica of a partition on a simulated storage node that follows the storage-node contract: it logs
 * every mutation to its WAL through the real {@link SegmentWriter} (sealing every {@code recordsPerSegment}
 * records, so replicas seal at the same LSNs) and applies it to a real RocksDB database together with the
 * reserved applied-LSN key in one write batch. Not thread safe.
 */
public final class SimulatedReplica implements AutoCloseable {

    static {
        RocksDB.loadLibrary();
    }

    private final Path root;
    private final PartitionId partition;
    private final ReplicaId replica;
    private final int recordsPerSegment;
    private final Clock clock;
    private final Options options;
    private final RocksDB db;
    private final WriteOptions writeOptions = new WriteOptions();
    private final List<SealedSegment> sealed = new ArrayList<>();
    private @Nullable SegmentWriter writer;
    private long nextLsn = 1;

    SimulatedReplica(Path root, PartitionId partition, ReplicaId replica, int recordsPerSegment, Clock clock)
            throws IOException {
        this.root = root;
        this.partition = partition;
        this.replica = replica;
        this.recordsPerSegment = recordsPerSegment;
        this.clock = clock;
        Files.createDirectories(walDir());
        Files.createDirectories(replicaDir().getParent());
        this.options = new Options().setCreateIfMissing(true);
        try {
            this.db = RocksDB.open(options, replicaDir().toString());
        } catch (RocksDBException e) {
            options.close();
            throw new IOException("cannot open RocksDB at " + replicaDir(), e);
        }
    }

    /**
     * Logs {@code logged} to the WAL and applies {@code applied} (if present) to the database. They differ
     * only when a test makes this replica diverge.
     */
    void apply(WalRecord logged, Optional<WalRecord> applied) throws IOException {
        if (logged.lsn() != nextLsn) {
            throw new IllegalStateException(replica + ": LSN " + logged.lsn() + " where " + nextLsn + " was expected");
        }
        SegmentWriter open = writer;
        if (open == null) {
            open = SegmentWriter.create(walDir(), partition, logged.lsn(), clock, FsyncPolicy.ON_SYNC);
            writer = open;
        }
        open.append(logged);
        nextLsn++;
        try (WriteBatch batch = new WriteBatch()) {
            if (applied.isPresent()) {
                WalRecord record = applied.get();
                if (record.op() == Op.PUT) {
                    batch.put(record.key(), record.value());
                } else {
                    batch.delete(record.key());
                }
            }
            batch.put(
                    StorageNodeContract.appliedLsnKey(),
                    ByteBuffer.allocate(8).putLong(logged.lsn()).array());
            db.write(writeOptions, batch);
        } catch (RocksDBException e) {
            throw new IOException(replica + ": cannot apply LSN " + logged.lsn(), e);
        }
        if (open.recordCount() == recordsPerSegment) {
            sealNow();
        }
    }

    /** Seals the open segment now if it holds records (a node's time bound). */
    public Optional<SealedSegment> sealNow() throws IOException {
        SegmentWriter open = writer;
        if (open == null || open.recordCount() == 0) {
            return Optional.empty();
        }
        SealedSegment segment = open.seal();
        sealed.add(segment);
        writer = null;
        return Optional.of(segment);
    }

    /** Flushes the memtable to SST files (so tests can damage data at rest). */
    public void flush() throws IOException {
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush);
        } catch (RocksDBException e) {
            throw new IOException(replica + ": flush failed", e);
        }
    }

    /**
     * Stores this replica's sealed segments in {@code store} under their archive keys, as the archiver would
     * (for tests of what comes after archiving; the archiver has its own tests). Already stored ones are skipped.
     */
    public void storeSealedSegments(ObjectStore store) throws IOException {
        for (SealedSegment segment : sealed) {
            try {
                store.put(PutRequest.ifAbsent(
                        RepositoryLayout.walKey(partition, segment.summary().lsnRange()),
                        ObjectBody.ofFile(segment.path()),
                        segment.summary().checksum(),
                        Map.of("replica", replica.value())));
            } catch (PreconditionFailedException storedBefore) {
                // an earlier call stored it
            }
        }
    }

    public ReplicaId id() {
        return replica;
    }

    /** The node root this replica lives under (what {@code node.roots} names). */
    public Path root() {
        return root;
    }

    public Path walDir() {
        return StorageNodeContract.walDir(root, partition);
    }

    public Path replicaDir() {
        return StorageNodeContract.replicaDir(root, partition);
    }

    public RocksDB db() {
        return db;
    }

    public List<SealedSegment> sealedSegments() {
        return List.copyOf(sealed);
    }

    /** The LSN the next mutation gets. */
    public long nextLsn() {
        return nextLsn;
    }

    @Override
    public void close() throws IOException {
        try {
            SegmentWriter open = writer;
            if (open != null) {
                open.close();
            }
        } finally {
            writeOptions.close();
            db.close();
            options.close();
        }
    }
}
