package dev.vigil.scrubber;

import dev.vigil.core.Errors;
import dev.vigil.core.Keys;
import dev.vigil.core.digest.ItemFrame;
import dev.vigil.core.io.DurableFiles;
import dev.vigil.core.node.StorageNodeContract;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.rocksdb.Checkpoint;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.SstFileReader;
import org.rocksdb.WALRecoveryMode;

/**
 * Reads RocksDB replicas through checkpoints. The node's database is opened as a <em>secondary</em>
 * instance (read-only, no lock, its own info log under Vigil's work directory), brought up to date with
 * the primary, and checkpointed into Vigil's work directory: SST files are hard-linked (no copy), so the
 * checkpoint costs almost no space. A checkpoint taken from a secondary holds only flushed data, so the
 * primary's write-ahead log files are then copied in, as RocksDB's own checkpoint does on a primary; the
 * checkpoint is opened with point-in-time recovery, which replays every complete write batch and stops at
 * a torn last record, so data and applied LSN always agree. The scan reads only the checkpoint, in key
 * order, with block checksum verification; {@link ReplicaView#verifyFiles} then checks every block of every
 * file, including those no iteration reads (filters, properties, meta-index, footer).
 *
 * <p>Damage is always named by the node's own file, never by the checkpoint's hard link. A secondary instance
 * that cannot open a damaged table leaves it out of its checkpoint without an error, so a checkpoint that lacks a
 * file the node's database lists is traced back to the node's copy, whose checksums are then verified. Thread
 * safe.
 */
public final class RocksDbReplicaSource implements ReplicaSource {

    static {
        RocksDB.loadLibrary();
    }

    private final Path scratch;

    /** @param scratch a directory of Vigil's for the secondary instances' own files */
    public RocksDbReplicaSource(Path scratch) {
        this.scratch = scratch;
    }

    @Override
    public ReplicaView checkpoint(LocalReplica replica, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Path secondaryDir = Files.createDirectories(scratch)
                .resolve("secondary-" + replica.partition() + "-" + replica.replica() + "-" + System.nanoTime());
        try (Options options = new Options().setMaxOpenFiles(-1);
                RocksDB secondary =
                        RocksDB.openAsSecondary(options, replica.directory().toString(), secondaryDir.toString())) {
            secondary.tryCatchUpWithPrimary();
            try (Checkpoint checkpoint = Checkpoint.create(secondary)) {
                checkpoint.createCheckpoint(target.toString());
            }
            copyWriteAheadLogs(replica.directory(), target);
        } catch (RocksDBException e) {
            throw failure(
                    e,
                    target,
                    replica.directory(),
                    "(none)",
                    "cannot checkpoint replica " + replica.replica() + " of " + replica.partition() + " at "
                            + replica.directory() + " into " + target);
        } finally {
            deleteQuietly(secondaryDir);
        }
        return open(target, replica.directory());
    }

    /** Copies the primary's {@code *.log} files: records not yet flushed to SST files live only there. */
    private static void copyWriteAheadLogs(Path primary, Path target) throws IOException {
        try (Stream<Path> files = Files.list(primary)) {
            for (Path log : files.filter(p -> p.getFileName().toString().endsWith(".log"))
                    .toList()) {
                try {
                    Files.copy(log, target.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                } catch (NoSuchFileException obsoleteMeanwhile) {
                    // The primary flushed and deleted it: its records are in the SST files we linked.
                }
            }
        }
    }

    @Override
    public ReplicaView open(Path checkpoint) throws IOException {
        return open(checkpoint, checkpoint);
    }

    /** Opens a checkpoint whose files came from {@code origin} (the node's database, or the checkpoint itself). */
    private static ReplicaView open(Path checkpoint, Path origin) throws IOException {
        Options options = new Options()
                .setWalRecoveryMode(WALRecoveryMode.PointInTimeRecovery)
                .setCreateIfMissing(false)
                .setParanoidChecks(true);
        try {
            return new View(RocksDB.open(options, checkpoint.toString()), options, checkpoint, origin);
        } catch (RocksDBException e) {
            options.close();
            throw failure(e, checkpoint, origin, "(none)", "cannot open the checkpoint " + checkpoint);
        }
    }

    /**
     * What a RocksDB error while reading a replica means: damage to a file (bit rot: {@link ReplicaCorruptException}
     * naming the node's file and the block kind), or something else (an {@link IOException} with {@code context}).
     * An error about a file the checkpoint lacks is answered by verifying the node's own copy of that file.
     */
    static IOException failure(RocksDBException e, Path location, Path origin, String lastGoodKey, String context) {
        String message = StorageCorruption.message(e).replace(location.toString(), origin.toString());
        Optional<String> file = StorageCorruption.sstFile(e);
        if (StorageCorruption.isDamage(e)) {
            String named = file.map(f -> StorageCorruption.nodeFile(origin, f).toString())
                    .orElse(origin.toString());
            return new ReplicaCorruptException(message, named, StorageCorruption.blockKind(e), lastGoodKey, e);
        }
        if (file.isPresent() && StorageCorruption.isMissingFile(e)) {
            Path nodeFile = StorageCorruption.nodeFile(origin, file.get());
            if (Files.isRegularFile(nodeFile)) {
                Optional<ReplicaCorruptException> damage = verifyFile(nodeFile, lastGoodKey);
                if (damage.isPresent()) {
                    return damage.get();
                }
                return new IOException(
                        context + ": " + message + "; the node's own " + nodeFile + " passes its"
                                + " checksums, so the checkpoint could not be taken consistently (retry the scrub)",
                        e);
            }
        }
        return new IOException(context + ": " + message, e);
    }

    /** Every block of one SST file checked against its checksum; the damage found, if any. */
    static Optional<ReplicaCorruptException> verifyFile(Path file, String lastGoodKey) {
        try (Options options = new Options();
                SstFileReader reader = new SstFileReader(options)) {
            reader.open(file.toString());
            reader.verifyChecksum();
            return Optional.empty();
        } catch (RocksDBException e) {
            String message = StorageCorruption.message(e);
            if (StorageCorruption.isMissingFile(e)) {
                return Optional.empty();
            }
            return Optional.of(new ReplicaCorruptException(
                    message, file.toString(), StorageCorruption.blockKind(e), lastGoodKey, e));
        }
    }

    private static void deleteQuietly(Path directory) {
        try {
            DurableFiles.deleteRecursively(directory);
        } catch (IOException ignored) {
            // scratch files of a secondary instance; harmless if left behind
        }
    }

    private static final class View implements ReplicaView {
        private final RocksDB db;
        private final Options options;
        private final Path location;
        private final Path origin;

        View(RocksDB db, Options options, Path location, Path origin) {
            this.db = db;
            this.options = options;
            this.location = location;
            this.origin = origin;
        }

        @Override
        public OptionalLong appliedLsn() throws IOException {
            try {
                byte[] value = db.get(StorageNodeContract.appliedLsnKey());
                if (value == null) {
                    return OptionalLong.empty();
                }
                if (value.length != 8) {
                    throw new IOException(
                            location + ": the applied-LSN key holds " + value.length
                                    + " bytes instead of 8 (a big-endian LSN); the node does not follow the storage-node contract");
                }
                return OptionalLong.of(ByteBuffer.wrap(value).getLong());
            } catch (RocksDBException e) {
                throw failure(e, location, origin, "(none)", "cannot read " + location);
            }
        }

        @Override
        public void scan(ItemVisitor visitor) throws IOException {
            // Each key and value is copied straight into the frame the item hash covers: no arrays per item.
            ItemFrame item = new ItemFrame(64 * 1024);
            byte[] appliedLsnKey = StorageNodeContract.appliedLsnKey();
            boolean read = false;
            try (ReadOptions options = new ReadOptions()
                            .setVerifyChecksums(true)
                            .setFillCache(false)
                            .setReadaheadSize(2 * 1024 * 1024);
                    RocksIterator it = db.newIterator(options)) {
                ItemFrame.PartReader key = it::key;
                ItemFrame.PartReader value = it::value;
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    item.readKey(key);
                    read = true;
                    if (!item.keyEquals(appliedLsnKey)) {
                        item.readValue(value);
                        visitor.item(item);
                    }
                }
                it.status();
            } catch (RocksDBException e) {
                throw failure(
                        e, location, origin, read ? Keys.printable(item.key()) : "(none)", "cannot scan " + location);
            }
        }

        @Override
        public void verifyFiles(FileVisitor visitor) throws IOException {
            List<Path> tables;
            try (Stream<Path> files = Files.list(location)) {
                tables = files.filter(p -> p.getFileName().toString().endsWith(".sst"))
                        .sorted()
                        .toList();
            }
            for (Path table : tables) {
                visitor.before(Files.size(table));
                Optional<ReplicaCorruptException> damage = verifyFile(table, "(the scan completed)");
                if (damage.isPresent()) {
                    ReplicaCorruptException found = damage.get();
                    String named = StorageCorruption.nodeFile(
                                    origin, table.getFileName().toString())
                            .toString();
                    throw new ReplicaCorruptException(
                            Errors.message(found).replace(table.toString(), named),
                            named,
                            found.blockKind(),
                            found.lastGoodKey(),
                            found.getCause());
                }
            }
        }

        @Override
        public void close() {
            db.close();
            options.close();
        }
    }
}
