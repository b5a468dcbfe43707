package dev.vigil.reference;

import dev.vigil.core.Keys;
import dev.vigil.core.PartitionId;
import dev.vigil.core.digest.Digest;
import dev.vigil.core.digest.DigestAccumulator;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.digest.ItemHasher;
import dev.vigil.core.digest.KeyHash;
import dev.vigil.core.digest.StateAccumulator;
import dev.vigil.core.io.DurableFiles;
import dev.vigil.core.io.ThreadPools;
import dev.vigil.core.node.StorageNodeContract;
import dev.vigil.core.repository.RepositoryJson;
import dev.vigil.core.sketch.DifferenceSketch;
import dev.vigil.core.sketch.SketchShape;
import dev.vigil.core.wal.Op;
import dev.vigil.core.wal.WalRecord;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A partition's reference replica: the state the archived WAL produces up to {@link #lsn()}, kept in a local
 * RocksDB (its own WAL disabled: the archive is the log), with its digest maintained incrementally as records are
 * applied. Usually in Vigil's work directory ({@link ReferenceLocation.Work}), where between runs it is persisted
 * with a small state file written last; a reference whose state file is missing (a build was interrupted) is
 * discarded and rebuilt from scratch, never trusted. A restore builds one in the storage node's format instead
 * ({@link ReferenceLocation.Replica}), which is its output. Not thread safe.
 */
public final class ReferenceState implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReferenceState.class);
    private static final String STATE = "reference.json";
    private static final String DIGEST = "reference.digest";
    private static final String SKETCH = "reference.sketch";
    /** Version of the local layout; a reference in another layout is discarded and rebuilt. 2: values carry their LSN. */
    private static final int FORMAT = 2;
    /**
     * Heap for the item hashes a reference keeps while it replays, keys not used recently dropped first: 32 MiB (as
     * {@link ItemHashCache#cost} counts it) holds 262,144 keys of 16 bytes.
     */
    static final long HASH_CACHE_BYTES = 32L * 1024 * 1024;

    static {
        RocksDB.loadLibrary();
    }

    private final PartitionId partition;
    private final ReferenceLocation location;
    private final Options options;
    private final RocksDB db;
    private final WriteOptions writes = new WriteOptions().setDisableWAL(true);
    private final ReplayBatch batch;
    private ReplayBatch.Writer writer;
    private final StateAccumulator summary;
    private final DigestAccumulator digest;
    private ItemHashCache hashes;
    private long lsn;

    private ReferenceState(
            PartitionId partition,
            ReferenceLocation location,
            Options options,
            RocksDB db,
            StateAccumulator summary,
            long lsn) {
        this.partition = partition;
        this.location = location;
        this.options = options;
        this.db = db;
        this.summary = summary;
        this.digest = summary.digest();
        this.lsn = lsn;
        this.hashes = new ItemHashCache(HASH_CACHE_BYTES, digest.snapshot().itemCount() == 0);
        this.batch = new ReplayBatch(location instanceof ReferenceLocation.Work);
        this.writer = filled -> db.write(writes, filled);
    }

    /** Opens the partition's reference under {@code workDir}, or starts an empty one (LSN 0), without a sketch. */
    public static ReferenceState open(Path workDir, PartitionId partition, DigestAlgorithm algorithm, int bucketBits)
            throws IOException {
        return open(workDir, partition, algorithm, bucketBits, Optional.empty());
    }

    /**
     * Opens the partition's reference under {@code workDir}, or starts an empty one (LSN 0). With {@code sketch}, the
     * reference also keeps a difference sketch of that shape, maintained as records are applied; one kept before in
     * another shape (or not at all) is rebuilt from the reference's items once, here.
     */
    public static ReferenceState open(
            Path workDir,
            PartitionId partition,
            DigestAlgorithm algorithm,
            int bucketBits,
            Optional<SketchShape> sketch)
            throws IOException {
        ReferenceLocation.Work location = work(workDir, partition);
        Path directory = location.directory();
        Path state = directory.resolve(STATE);
        long lsn = 0;
        DigestAccumulator accumulator = new DigestAccumulator(algorithm, bucketBits);
        if (Files.exists(state)) {
            Map<?, ?> saved = RepositoryJson.MAPPER.readValue(state.toFile(), Map.class);
            Digest persisted = Digest.decode(
                    Files.readAllBytes(directory.resolve(DIGEST)),
                    directory.resolve(DIGEST).toString());
            boolean sameFormat = saved.get("format") instanceof Number n && n.intValue() == FORMAT;
            if (sameFormat && persisted.algorithm() == algorithm && persisted.bucketBits() == bucketBits) {
                lsn = saved.get("lsn") instanceof Number savedLsn ? savedLsn.longValue() : 0;
                accumulator = DigestAccumulator.resume(persisted);
            } else {
                DurableFiles.deleteRecursively(directory);
            }
        } else {
            DurableFiles.deleteRecursively(directory);
        }
        Files.createDirectories(location.database());
        Options options = referenceOptions(location);
        try {
            RocksDB db = RocksDB.open(options, location.database().toString());
            // From here on the reference is being changed: without a state file it is discarded if we crash.
            Files.deleteIfExists(state);
            ReferenceState reference = new ReferenceState(
                    partition, location, options, db, StateAccumulator.resume(accumulator, Optional.empty()), lsn);
            if (sketch.isPresent()) {
                reference.keepSketch(sketch.get());
            }
            return reference;
        } catch (RocksDBException e) {
            options.close();
            throw new IOException(
                    "cannot open the reference of " + partition + " at " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * Replay reads the old value of every key it writes: point lookups dominate, so the reference gets Bloom
     * filters, a block cache, and larger memtables than RocksDB's defaults (which have neither filter nor cache
     * to speak of).
     */
    private static Options referenceOptions(ReferenceLocation location) {
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

    /**
     * An empty replica (LSN 0) in the storage node's format at {@code location}, replacing whatever is there: the
     * start of a restore that has no snapshot to start from.
     */
    public static ReferenceState create(
            ReferenceLocation.Replica location, PartitionId partition, DigestAlgorithm algorithm, int bucketBits)
            throws IOException {
        discard(location);
        Files.createDirectories(location.database());
        Options options = referenceOptions(location);
        try {
            RocksDB db = RocksDB.open(options, location.database().toString());
            return new ReferenceState(
                    partition,
                    location,
                    options,
                    db,
                    StateAccumulator.create(algorithm, bucketBits, Optional.empty()),
                    0);
        } catch (RocksDBException e) {
            options.close();
            throw new IOException(
                    "cannot create the database of " + partition + " at " + location.database() + ": " + e.getMessage(),
                    e);
        }
    }

    /** Discards the partition's reference (it must be closed): the next {@link #open} starts at LSN 0. */
    public static void discard(Path workDir, PartitionId partition) throws IOException {
        discard(work(workDir, partition));
    }

    /** Discards what is at {@code location} (the reference there must be closed). */
    public static void discard(ReferenceLocation location) throws IOException {
        switch (location) {
            case ReferenceLocation.Work work -> DurableFiles.deleteRecursively(work.directory());
            case ReferenceLocation.Replica replica -> DurableFiles.deleteRecursively(replica.database());
        }
    }

    private static ReferenceLocation.Work work(Path workDir, PartitionId partition) {
        return ReferenceLocation.work(workDir, partition);
    }

    /** Applies the next record; its LSN must be {@code lsn() + 1}. */
    public void apply(WalRecord record) throws IOException {
        applyAll(List.of(record));
    }

    /**
     * Applies consecutive records starting at {@code lsn() + 1}, in one batch, all or nothing. Each record takes the
     * old item's hash out of the digest: it comes from the cache of recent item hashes when the key is there (a key
     * written earlier in the batch is there), else from the old value, read with one multi-get for all such keys of the
     * batch. All writes go in one write batch, which RocksDB applies whole or not at all; when it or anything before it
     * fails, the digest and sketch changes of the batch are undone and the cache is emptied, so the reference stays
     * exactly at {@link #lsn()} and may be saved or given the same records again.
     *
     * @throws ReferenceApplyException when the reference's own database refuses the batch (a local failure)
     */
    public void applyAll(List<WalRecord> records) throws IOException {
        if (records.isEmpty()) {
            return;
        }
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).lsn() != lsn + 1 + i) {
                throw new IllegalStateException("reference of " + partition + " is at LSN " + (lsn + i)
                        + "; cannot apply " + records.get(i).lsn());
            }
        }
        // Each record's slot in the cache; the slots of keys the cache does not know yet are filled from their stored
        // values with one multi-get. No slot moves before the batch is written.
        int count = records.size();
        int[] slots = new int[count];
        long[] keyHashes = new long[count];
        int[] unknown = new int[count];
        int unknownCount = 0;
        hashes.reserve(count);
        for (int r = 0; r < count; r++) {
            byte[] key = records.get(r).key();
            keyHashes[r] = ItemHasher.keyHash(key);
            slots[r] = hashes.slot(key, keyHashes[r]);
            if (hashes.claimRead(slots[r])) {
                unknown[unknownCount++] = slots[r];
            }
        }
        SummaryChanges changes = new SummaryChanges(count);
        long[] itemHash = new long[2];
        try {
            batch.clear();
            if (unknownCount > 0) {
                List<byte[]> unknownKeys = new ArrayList<>(unknownCount);
                for (int i = 0; i < unknownCount; i++) {
                    unknownKeys.add(hashes.key(unknown[i]));
                }
                List<byte[]> stored = db.multiGetAsList(unknownKeys);
                for (int i = 0; i < unknownCount; i++) {
                    byte @Nullable [] value = stored.get(i);
                    if (value == null) {
                        hashes.makeAbsent(unknown[i]);
                    } else {
                        summary.itemHash(unknownKeys.get(i), decode(value), itemHash);
                        hashes.makePresent(unknown[i], itemHash);
                    }
                }
            }
            for (int r = 0; r < count; r++) {
                WalRecord record = records.get(r);
                int slot = slots[r];
                if (record.op() == Op.PUT) {
                    if (hashes.present(slot)) {
                        hashes.itemHash(slot, itemHash);
                        summary.removeHashed(record.key(), keyHashes[r], itemHash);
                        changes.removed(r, itemHash);
                    }
                    batch.put(record.key(), record.lsn(), record.value());
                    summary.add(record.key(), keyHashes[r], record.value(), itemHash);
                    changes.added(r, itemHash);
                    hashes.makePresent(slot, itemHash);
                } else if (hashes.present(slot)) {
                    batch.delete(record.key());
                    hashes.itemHash(slot, itemHash);
                    summary.removeHashed(record.key(), keyHashes[r], itemHash);
                    changes.removed(r, itemHash);
                    hashes.makeAbsent(slot);
                }
            }
            batch.write(writer);
        } catch (RocksDBException e) {
            undo(changes, records, keyHashes);
            throw new ReferenceApplyException(
                    "reference of " + partition + " in " + location.database() + ": cannot apply LSNs "
                            + records.getFirst().lsn() + ".."
                            + records.getLast().lsn() + ": " + e.getMessage()
                            + "; none of them was applied and the reference stays at LSN " + lsn
                            + ". This is the local database, not the archive: check the disk (space, permissions,"
                            + " errors) and run again",
                    e);
        } catch (RuntimeException e) {
            undo(changes, records, keyHashes);
            throw e;
        }
        hashes.trim();
        lsn = records.getLast().lsn();
    }

    /** Takes back a failed batch's changes to the digest and sketch, and forgets the cache it had updated. */
    private void undo(SummaryChanges changes, List<WalRecord> records, long[] keyHashes) {
        changes.undo((r, added, itemHash) -> {
            byte[] key = records.get(r).key();
            if (added) {
                summary.removeHashed(key, keyHashes[r], itemHash);
            } else {
                summary.addHashed(key, keyHashes[r], itemHash);
            }
        });
        hashes.clear();
    }

    /**
     * Replaces how a filled batch is written (the database by default): for tests of a write the database refuses.
     */
    ReplayBatch.Writer writeWith(ReplayBatch.Writer replacement) {
        ReplayBatch.Writer previous = writer;
        writer = replacement;
        return previous;
    }

    /**
     * Replaces the cache of item hashes with an empty one of {@code capacity} bytes (complete only if the state is
     * empty): for tests that make it drop keys.
     */
    void useHashCache(long capacity) {
        hashes = new ItemHashCache(capacity, digest.snapshot().itemCount() == 0);
    }

    public long lsn() {
        return lsn;
    }

    public PartitionId partition() {
        return partition;
    }

    public Digest digest() {
        return digest.snapshot();
    }

    /** The difference sketch of the state at {@link #lsn()}, when this reference keeps one (a copy). */
    public Optional<DifferenceSketch> sketch() {
        return summary.sketch().map(DifferenceSketch::copy);
    }

    /** The {@code (key, itemHash)} pairs of {@code buckets} in the current state, in key order. */
    public List<KeyHash> keyHashes(Set<Integer> buckets, ItemHasher hasher) {
        List<KeyHash> pairs = new ArrayList<>();
        long[] hash = new long[2];
        try (ReadOptions read = new ReadOptions().setFillCache(false);
                RocksIterator it = db.newIterator(read)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] key = it.key();
                if (buckets.contains(hasher.bucket(key))) {
                    hasher.hash(key, decode(it.value()), hash);
                    pairs.add(new KeyHash(key, hash[0], hash[1]));
                }
            }
        }
        return pairs;
    }

    /**
     * Calls {@code consumer} with every live item, in key order. The reference must not change meanwhile. Only a
     * reference in the work directory knows each item's LSN; a {@link ReferenceLocation.Replica} does not.
     */
    public void forEachItem(ItemConsumer consumer) throws IOException {
        if (!(location instanceof ReferenceLocation.Work)) {
            throw new IllegalStateException(
                    "the replica of " + partition + " at " + location.database() + " keeps no LSN per item");
        }
        forEachStored((key, stored) -> consumer.accept(new ReferenceItem(key, decode(stored), lsnOf(stored))));
    }

    /** Calls {@code consumer} with every key and its value as stored, in key order. */
    private void forEachStored(StoredConsumer consumer) throws IOException {
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

    @FunctionalInterface
    private interface StoredConsumer {
        void accept(byte[] key, byte[] stored) throws IOException;
    }

    /** Receives reference items. */
    @FunctionalInterface
    public interface ItemConsumer {
        void accept(ReferenceItem item) throws IOException;
    }

    /**
     * Replaces the partition's reference under {@code workDir} with {@code items} (strictly ascending keys, as a
     * snapshot holds them) at {@code lsn}. The items become SST files that RocksDB ingests directly, bypassing
     * its write path; the digest is computed on the way. The caller compares the result's digest with the one
     * the items came with before trusting it.
     */
    public static ReferenceState load(
            Path workDir,
            PartitionId partition,
            DigestAlgorithm algorithm,
            int bucketBits,
            long lsn,
            Iterator<ReferenceItem> items,
            Optional<SketchShape> sketch)
            throws IOException {
        return load(work(workDir, partition), partition, algorithm, bucketBits, lsn, items, sketch);
    }

    /** As {@link #load(Path, PartitionId, DigestAlgorithm, int, long, Iterator, Optional)}, at {@code location}. */
    public static ReferenceState load(
            ReferenceLocation location,
            PartitionId partition,
            DigestAlgorithm algorithm,
            int bucketBits,
            long lsn,
            Iterator<ReferenceItem> items,
            Optional<SketchShape> sketch)
            throws IOException {
        ItemRun.Items run = new ItemRun.Items() {
            @Override
            public boolean hasNext() {
                return items.hasNext();
            }

            @Override
            public ReferenceItem next() {
                return items.next();
            }

            @Override
            public void close() {}
        };
        return load(location, partition, algorithm, bucketBits, lsn, List.of(() -> run), sketch, 1);
    }

    /**
     * Replaces what is at {@code location} with the items of {@code runs} at {@code lsn}, reading up to {@code threads}
     * runs at once. Each run holds strictly ascending keys, all after those of the run before it (as a snapshot's
     * Parquet parts do); each becomes its own SST files with its own digest, computed on the way, and the digests are
     * added up. RocksDB ingests all the files at once, bypassing its write path. An item written after {@code lsn}, a
     * key out of order within a run or a run that overlaps the one before it is an {@link IOException} naming the key,
     * and nothing is left at {@code location}. The caller compares the result's digest with the one the items came
     * with before trusting it.
     */
    public static ReferenceState load(
            ReferenceLocation location,
            PartitionId partition,
            DigestAlgorithm algorithm,
            int bucketBits,
            long lsn,
            List<ItemRun> runs,
            Optional<SketchShape> sketch,
            int threads)
            throws IOException {
        discard(location);
        Files.createDirectories(location.database());
        List<SortedSstWriter> writers = new ArrayList<>();
        AtomicBoolean abandoned = new AtomicBoolean();
        AtomicInteger names = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(
                Math.max(1, Math.min(threads, runs.size())),
                r -> new Thread(r, "vigil-load-" + partition + "-" + names.incrementAndGet()));
        Options options = referenceOptions(location);
        RocksDB db = null;
        try {
            List<Future<StateAccumulator>> loads = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                SortedSstWriter sst = new SortedSstWriter(
                        location.ingestStaging().resolve(String.format(Locale.ROOT, "run-%05d", i)),
                        "the snapshot of " + partition,
                        location.tableFormatVersion());
                writers.add(sst);
                ItemRun run = runs.get(i);
                loads.add(pool.submit(() -> {
                    StateAccumulator accumulator = StateAccumulator.create(algorithm, bucketBits, sketch);
                    try (ItemRun.Items items = run.open()) {
                        while (items.hasNext()) {
                            if (abandoned.get()) {
                                throw new InterruptedIOException("abandoned");
                            }
                            ReferenceItem item = items.next();
                            if (item.lsn() > lsn) {
                                throw new IOException("snapshot of " + partition + " at LSN " + lsn + " holds key "
                                        + Keys.printable(item.key()) + " written at LSN " + item.lsn() + ", after it");
                            }
                            sst.put(item.key(), encode(location, item.lsn(), item.value()));
                            accumulator.add(item.key(), item.value());
                        }
                    } catch (UncheckedIOException e) {
                        throw Objects.requireNonNullElse(e.getCause(), new IOException(e.getMessage(), e));
                    }
                    return accumulator;
                }));
            }
            StateAccumulator total = StateAccumulator.create(algorithm, bucketBits, sketch);
            for (Future<StateAccumulator> load : loads) {
                total.addAll(await(load, partition));
            }
            checkRunsInOrder(writers, partition, lsn);
            db = RocksDB.open(options, location.database().toString());
            SortedSstWriter.ingestAll(writers, db);
            DurableFiles.deleteRecursively(location.ingestStaging());
            return new ReferenceState(partition, location, options, db, total, lsn);
        } catch (RocksDBException e) {
            options.close();
            discard(location);
            throw new IOException(
                    "cannot open the reference of " + partition + " at " + location.database() + ": " + e.getMessage(),
                    e);
        } catch (IOException | RuntimeException e) {
            if (db != null) {
                db.close();
            }
            options.close();
            stop(pool, abandoned);
            discard(location);
            throw e;
        } finally {
            stop(pool, abandoned);
            writers.forEach(SortedSstWriter::close);
        }
    }

    /** The result of one run's load; its failure as the {@link IOException} it was. */
    private static StateAccumulator await(Future<StateAccumulator> load, PartitionId partition) throws IOException {
        try {
            return load.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while loading the snapshot of " + partition);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException("loading the snapshot of " + partition + " failed: " + cause, cause);
        }
    }

    /** Tells unfinished runs to give up and waits until none is writing (their writers are closed after). */
    private static void stop(ExecutorService pool, AtomicBoolean abandoned) {
        abandoned.set(true);
        pool.shutdown();
        ThreadPools.awaitTermination(pool);
    }

    /** Each run's first key must sort after the last key of the nearest non-empty run before it. */
    private static void checkRunsInOrder(List<SortedSstWriter> writers, PartitionId partition, long lsn)
            throws IOException {
        byte @Nullable [] last = null;
        int lastRun = -1;
        for (int i = 0; i < writers.size(); i++) {
            Optional<byte[]> first = writers.get(i).firstKey();
            if (first.isEmpty()) {
                continue;
            }
            if (last != null && Arrays.compareUnsigned(last, first.get()) >= 0) {
                throw new IOException("snapshot of " + partition + " at LSN " + lsn + ": part " + (i + 1) + " of "
                        + writers.size() + " starts at key " + Keys.printable(first.get())
                        + ", which does not sort after the last key " + Keys.printable(last) + " of part "
                        + (lastRun + 1));
            }
            last = writers.get(i).lastKey().orElseThrow();
            lastRun = i;
        }
    }

    /**
     * A reference in the work directory stores each value behind the 8-byte LSN of the record that wrote it; a
     * replica stores the value as the node does.
     */
    private static byte[] encode(ReferenceLocation location, long lsn, byte[] value) {
        return switch (location) {
            case ReferenceLocation.Work work -> stored(lsn, value);
            case ReferenceLocation.Replica replica -> value;
        };
    }

    /** A value behind its 8-byte LSN, as the work directory's reference stores it. */
    static byte[] stored(long lsn, byte[] value) {
        return ByteBuffer.allocate(Long.BYTES + value.length)
                .putLong(lsn)
                .put(value)
                .array();
    }

    private byte[] decode(byte[] stored) {
        return location instanceof ReferenceLocation.Work
                ? Arrays.copyOfRange(stored, Long.BYTES, stored.length)
                : stored;
    }

    private static long lsnOf(byte[] stored) {
        return ByteBuffer.wrap(stored, 0, Long.BYTES).getLong();
    }

    /**
     * From now on keeps a difference sketch of {@code shape}, maintained as records are applied: the one saved with
     * the reference when it is there, intact and of this shape, else one built from every item (one pass, once).
     * Nothing changes when the reference keeps a sketch of this shape already.
     */
    public void keepSketch(SketchShape shape) throws IOException {
        DigestAlgorithm algorithm = digest.hasher().algorithm();
        Optional<DifferenceSketch> current = summary.sketch();
        if (current.isPresent() && current.get().shape().equals(shape)) {
            return;
        }
        if (lsn == 0) {
            summary.replaceSketch(DifferenceSketch.empty(shape, algorithm));
            return;
        }
        Optional<Path> saved = location instanceof ReferenceLocation.Work work
                ? Optional.of(work.directory().resolve(SKETCH))
                : Optional.empty();
        if (current.isEmpty() && saved.isPresent() && Files.exists(saved.get())) {
            Path file = saved.get();
            try {
                DifferenceSketch kept = DifferenceSketch.decode(Files.readAllBytes(file), file.toString());
                if (kept.shape().equals(shape) && kept.algorithm() == algorithm) {
                    summary.replaceSketch(kept);
                    return;
                }
            } catch (IOException damaged) {
                LOG.warn("{}; rebuilding the sketch from the reference", damaged.getMessage());
            }
        }
        rebuildSketch(shape);
    }

    /** Builds the sketch from every item (one pass over the reference), for a reference kept without one. */
    private void rebuildSketch(SketchShape shape) throws IOException {
        DifferenceSketch sketch = DifferenceSketch.empty(shape, digest.hasher().algorithm());
        long[] hash = new long[2];
        forEachStored((key, stored) -> {
            digest.hasher().hash(key, decode(stored), hash);
            sketch.add(key, hash);
        });
        summary.replaceSketch(sketch);
        LOG.info("built the difference sketch of the reference of {} at LSN {}", partition, lsn);
    }

    /**
     * Persists the reference at its current LSN (digest first, state file last) so the next run continues. Only a
     * reference in the work directory is saved.
     */
    public void save() throws IOException {
        if (!(location instanceof ReferenceLocation.Work work)) {
            throw new IllegalStateException("the replica of " + partition + " at " + location.database()
                    + " is not a reference to be saved; complete it with completeReplica()");
        }
        Path directory = work.directory();
        try {
            db.flushWal(true);
            try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                db.flush(flush);
            }
        } catch (RocksDBException e) {
            throw new IOException("cannot flush the reference of " + partition + ": " + e.getMessage(), e);
        }
        DurableFiles.replace(directory.resolve(DIGEST), digest.snapshot().encode());
        Optional<DifferenceSketch> sketch = summary.sketch();
        if (sketch.isPresent()) {
            DurableFiles.replace(directory.resolve(SKETCH), sketch.get().encode());
        } else {
            Files.deleteIfExists(directory.resolve(SKETCH));
        }
        DurableFiles.replace(
                directory.resolve(STATE),
                RepositoryJson.MAPPER.writeValueAsBytes(
                        Map.of("format", FORMAT, "partition", partition.value(), "lsn", lsn)));
    }

    /**
     * Completes a {@link ReferenceLocation.Replica}: writes the applied LSN under the storage node contract's key and
     * flushes everything into SST files (the replay's writes skip RocksDB's WAL), so that the database holds the
     * state at {@link #lsn()} durably once this returns.
     */
    public void completeReplica() throws IOException {
        if (!(location instanceof ReferenceLocation.Replica)) {
            throw new IllegalStateException(
                    "the reference of " + partition + " in the work directory is not a replica");
        }
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

    @Override
    public void close() {
        batch.close();
        writes.close();
        db.close();
        options.close();
    }
}
