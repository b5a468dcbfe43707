package dev.vigil.scrubber;

import dev.vigil.core.Keys;
import dev.vigil.core.node.StorageNodeContract;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rocksdb.Checkpoint;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * Reads RocksDB replicas through checkpoints. The node's database is opened as a <em>secondary</em>
 * instance (read-only, no lock, its own info log under Vigil's work directory), brought up to date with
 * the primary, and checkpointed into Vigil's work directory: SST files are hard-linked (no copy), so the
 * checkpoint costs almost no space. A checkpoint taken from a secondary holds only flushed data, so the
 * primary's write-ahead log files are then copied in, as RocksDB's own checkpoint does on a primary; the
 * checkpoint is opened with point-in-time recovery, which replays every complete write batch and stops at
 * a torn last record, so data and applied LSN always agree. The scan reads only the checkpoint, in key
 * order, with block checksum verification. Thread safe.
 */
public final class RocksDbReplicaSource implements ReplicaSource {

    static {
        RocksDB.loadLibrary();
    }

    private static final Pattern FILE = Pattern.compile("(\\S+\\.sst)");

    private final Path scratch;

    /** @param scratch a directory of Vigil's for the secondary instances' own files */
    public RocksDbReplicaSource(Path scratch) {
        this.scratch = scratch;
    }

    @Override
    public ReplicaView checkpoint(LocalReplica replica, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Path secondaryDir = Files.createDirectories(scratch).resolve("secondary-" + replica.partition() + "-"
                + replica.replica() + "-" + System.nanoTime());
        try (Options options = new Options().setMaxOpenFiles(-1);
             RocksDB secondary = RocksDB.openAsSecondary(options, replica.directory().toString(), secondaryDir.toString())) {
            secondary.tryCatchUpWithPrimary();
            try (Checkpoint checkpoint = Checkpoint.create(secondary)) {
                checkpoint.createCheckpoint(target.toString());
            }
            copyWriteAheadLogs(replica.directory(), target);
        } catch (RocksDBException e) {
            throw new IOException("cannot checkpoint replica " + replica.replica() + " of " + replica.partition() + " at "
                    + replica.directory() + " into " + target + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(secondaryDir);
        }
        return open(target);
    }

    /** Copies the primary's {@code *.log} files: records not yet flushed to SST files live only there. */
    private static void copyWriteAheadLogs(Path primary, Path target) throws IOException {
        try (var files = Files.list(primary)) {
            for (Path log : files.filter(p -> p.getFileName().toString().endsWith(".log")).toList()) {
                try {
                    Files.copy(log, target.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                } catch (java.nio.file.NoSuchFileException obsoleteMeanwhile) {
                    // The primary flushed and deleted it: its records are in the SST files we linked.
                }
            }
        }
    }

    @Override
    public ReplicaView open(Path checkpoint) throws IOException {
        Options options = new Options().setWalRecoveryMode(org.rocksdb.WALRecoveryMode.PointInTimeRecovery)
                .setCreateIfMissing(false);
        try {
            return new View(RocksDB.open(options, checkpoint.toString()), options, checkpoint);
        } catch (RocksDBException e) {
            options.close();
            throw new IOException("cannot open the checkpoint " + checkpoint + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path directory) {
        try {
            dev.vigil.core.io.DurableFiles.deleteRecursively(directory);
        } catch (IOException ignored) {
            // scratch files of a secondary instance; harmless if left behind
        }
    }

    private static final class View implements ReplicaView {
        private final RocksDB db;
        private final Options options;
        private final Path location;

        View(RocksDB db, Options options, Path location) {
            this.db = db;
            this.options = options;
            this.location = location;
        }

        @Override
        public OptionalLong appliedLsn() throws IOException {
            try {
                byte[] value = db.get(StorageNodeContract.appliedLsnKey());
                if (value == null) {
                    return OptionalLong.empty();
                }
                if (value.length != 8) {
                    throw new IOException(location + ": the applied-LSN key holds " + value.length
                            + " bytes instead of 8 (a big-endian LSN); the node does not follow the storage-node contract");
                }
                return OptionalLong.of(ByteBuffer.wrap(value).getLong());
            } catch (RocksDBException e) {
                throw corruption(e, "(none: reading the applied-LSN key)");
            }
        }

        @Override
        public void scan(ItemVisitor visitor) throws IOException {
            byte[] lastKey = null;
            try (ReadOptions read = new ReadOptions().setVerifyChecksums(true).setFillCache(false)
                    .setReadaheadSize(2 * 1024 * 1024);
                 RocksIterator it = db.newIterator(read)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    byte[] key = it.key();
                    if (!StorageNodeContract.isAppliedLsnKey(key)) {
                        visitor.item(key, it.value());
                    }
                    lastKey = key;
                }
                it.status();
            } catch (RocksDBException e) {
                throw corruption(e, lastKey == null ? "(none)" : Keys.printable(lastKey));
            }
        }

        private ReplicaCorruptException corruption(RocksDBException e, String lastKey) {
            String message = e.getMessage() == null ? e.getStatus().toString() : e.getMessage();
            Matcher file = FILE.matcher(message);
            return new ReplicaCorruptException(location + ": " + message, file.find() ? file.group(1) : "unknown", lastKey, e);
        }

        @Override
        public void close() {
            db.close();
            options.close();
        }
    }
}
