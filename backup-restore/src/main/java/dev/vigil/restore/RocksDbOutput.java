package dev.vigil.restore;

import dev.vigil.core.Errors;
import dev.vigil.core.PartitionId;
import dev.vigil.core.digest.Digest;
import dev.vigil.core.digest.DigestAccumulator;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.digest.ItemFrame;
import dev.vigil.core.io.DurableFiles;
import dev.vigil.core.io.ThreadPools;
import dev.vigil.core.node.StorageNodeContract;
import dev.vigil.replay.ReferenceBuilder;
import dev.vigil.replay.ReferenceState;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.rocksdb.LiveFileMetaData;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;

/**
 * RocksDB in the storage node's format, built in place: the snapshot's items become SST files the output
 * database ingests, the WAL after it is replayed into that database with the digest maintained on the way, and
 * the applied-LSN key is written last. Nothing is written twice.
 */
class RocksDbOutput extends RestoreOutput {
    static {
        RocksDB.loadLibrary();
    }

    /** Read-back reads the whole database in order: large sequential reads, not one block at a time. */
    private static final long READ_AHEAD = 8L * 1024 * 1024;

    @Override
    ReferenceState start(
            ReferenceBuilder builder,
            Path workDir,
            Path directory,
            PartitionId partition,
            DigestAlgorithm algorithm,
            int bucketBits,
            long lsn,
            int tableFormatVersion)
            throws IOException {
        return builder.openReplica(directory, partition, algorithm, bucketBits, lsn, tableFormatVersion);
    }

    @Override
    void write(ReferenceState reference, Path directory) throws IOException {
        reference.completeReplica();
    }

    /**
     * Removes the {@code OPTIONS-*} files RocksDB wrote: they name every option of the RocksDB that wrote them,
     * which an older RocksDB refuses to load ("Could not find option"), and a database opens without them (a node
     * opens it with its own options). The tables themselves are in the format version asked for.
     */
    @Override
    void finish(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("OPTIONS-"))
                    .toList()) {
                Files.delete(file);
            }
        }
        DurableFiles.forceDirectory(directory);
    }

    /**
     * Reads every item back with RocksDB's checksums on, in up to as many key ranges at once as there are cores
     * (the ranges split the database's SST files by size; each range has its own digest, and the digests are
     * added up), and checks the applied LSN. The files are read with direct I/O where the file system allows it
     * ({@link #openForReadBack}): what was written has just left the page cache ({@code SstFileWriter} drops it),
     * so a buffered read would only add the kernel's copy of every page (docs/performance.md), and the proof then
     * reads what the device holds.
     */
    @Override
    Digest readBack(Path directory, long lsn, DigestAlgorithm algorithm, int bucketBits) throws IOException {
        return readBack(
                directory, lsn, algorithm, bucketBits, Runtime.getRuntime().availableProcessors());
    }

    /** As {@link #readBack(Path, long, DigestAlgorithm, int)}, in up to {@code ranges} key ranges at once. */
    static Digest readBack(Path directory, long lsn, DigestAlgorithm algorithm, int bucketBits, int ranges)
            throws IOException {
        return readBack(directory, lsn, algorithm, bucketBits, ranges, true);
    }

    /**
     * As {@link #readBack(Path, long, DigestAlgorithm, int, int)}, with direct reads where they work ({@code
     * direct}) or buffered reads only.
     */
    static Digest readBack(
            Path directory, long lsn, DigestAlgorithm algorithm, int bucketBits, int ranges, boolean direct)
            throws IOException {
        DigestAccumulator digest = new DigestAccumulator(algorithm, bucketBits);
        List<Long> applied = new ArrayList<>();
        try (Options options = new Options();
                RocksDB db = direct
                        ? openForReadBack(options, directory)
                        : RocksDB.openReadOnly(options, directory.toString())) {
            List<byte @Nullable []> bounds = splitKeys(db, ranges);
            AtomicInteger names = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(
                    bounds.size() - 1, r -> new Thread(r, "vigil-restore-read-back-" + names.incrementAndGet()));
            try {
                List<Future<RangeRead>> reads = new ArrayList<>();
                for (int i = 0; i + 1 < bounds.size(); i++) {
                    byte @Nullable [] lower = bounds.get(i);
                    byte @Nullable [] upper = bounds.get(i + 1);
                    reads.add(pool.submit(() -> readRange(db, lower, upper, algorithm, bucketBits)));
                }
                for (Future<RangeRead> read : reads) {
                    RangeRead range = read.get();
                    digest.addAll(range.digest());
                    range.applied().ifPresent(applied::add);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading back " + directory);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RocksDBException rocks) {
                    throw rocks;
                }
                throw new IOException(
                        "cannot read back the restored database in " + directory + ": "
                                + Errors.message(e.getCause() == null ? e : e.getCause()),
                        e.getCause());
            } finally {
                pool.shutdownNow();
                ThreadPools.awaitTermination(pool);
            }
        } catch (RocksDBException e) {
            throw new IOException("cannot read back the restored database in " + directory + ": " + e.getMessage(), e);
        }
        if (applied.size() != 1 || applied.getFirst() != lsn) {
            throw new IOException("the restored database in " + directory + " records applied LSN "
                    + (applied.isEmpty() ? "none" : applied) + ", expected " + lsn);
        }
        return digest.snapshot();
    }

    private record RangeRead(DigestAccumulator digest, Optional<Long> applied) {}

    /**
     * Opens the database in {@code directory} read-only, with direct reads ({@code O_DIRECT}) when RocksDB can open
     * it so and with buffered reads when it cannot (some file systems refuse direct I/O, tmpfs before Linux 6.6
     * for one): {@code options} says which. When neither opens, the buffered open's failure is thrown, the direct
     * one's attached.
     */
    static RocksDB openForReadBack(Options options, Path directory) throws RocksDBException {
        try {
            return RocksDB.openReadOnly(options.setUseDirectReads(true), directory.toString());
        } catch (RocksDBException directRefused) {
            try {
                return RocksDB.openReadOnly(options.setUseDirectReads(false), directory.toString());
            } catch (RocksDBException e) {
                e.addSuppressed(directRefused);
                throw e;
            }
        }
    }

    private static RangeRead readRange(
            RocksDB db, byte @Nullable [] lower, byte @Nullable [] upper, DigestAlgorithm algorithm, int bucketBits)
            throws RocksDBException {
        DigestAccumulator digest = new DigestAccumulator(algorithm, bucketBits);
        Optional<Long> applied = Optional.empty();
        try (Slice from = lower == null ? null : new Slice(lower);
                Slice to = upper == null ? null : new Slice(upper);
                ReadOptions read = new ReadOptions()
                        .setVerifyChecksums(true)
                        .setFillCache(false)
                        .setReadaheadSize(READ_AHEAD)) {
            if (from != null) {
                read.setIterateLowerBound(from);
            }
            if (to != null) {
                read.setIterateUpperBound(to);
            }
            // Keys and values are copied into one reused frame and hashed there: no arrays per item.
            ItemFrame item = new ItemFrame(64 * 1024);
            byte[] appliedLsnKey = StorageNodeContract.appliedLsnKey();
            try (RocksIterator it = db.newIterator(read)) {
                ItemFrame.PartReader key = it::key;
                ItemFrame.PartReader value = it::value;
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    item.readKey(key);
                    if (item.keyEquals(appliedLsnKey)) {
                        applied = Optional.of(ByteBuffer.wrap(it.value()).getLong());
                    } else {
                        item.readValue(value);
                        digest.add(item);
                    }
                }
                it.status();
            }
        }
        return new RangeRead(digest, applied);
    }

    /**
     * Up to {@code ranges} contiguous key ranges of about equal bytes, as their bounds: null (the start), split
     * keys taken from the SST files' smallest keys, null (the end). Any keys in between are covered: the
     * ranges are bounds, not files.
     */
    static List<byte @Nullable []> splitKeys(RocksDB db, int ranges) {
        List<LiveFileMetaData> files = new ArrayList<>(db.getLiveFilesMetaData());
        files.sort((a, b) -> Arrays.compareUnsigned(a.smallestKey(), b.smallestKey()));
        long total = files.stream().mapToLong(LiveFileMetaData::size).sum();
        List<byte @Nullable []> bounds = new ArrayList<>();
        bounds.add(null);
        long seen = 0;
        for (LiveFileMetaData file : files) {
            if (bounds.size() < ranges && seen >= total * bounds.size() / ranges && seen > 0) {
                byte[] last = bounds.getLast();
                if (last == null || Arrays.compareUnsigned(last, file.smallestKey()) < 0) {
                    bounds.add(file.smallestKey());
                }
            }
            seen += file.size();
        }
        bounds.add(null);
        return bounds;
    }
}
