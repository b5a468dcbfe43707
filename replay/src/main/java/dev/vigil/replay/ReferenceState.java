package dev.vigil.replay;

import dev.vigil.core.PartitionId;
import dev.vigil.core.digest.Digest;
import dev.vigil.core.digest.DigestAccumulator;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.digest.ItemHasher;
import dev.vigil.core.digest.KeyHash;
import dev.vigil.core.sketch.DifferenceSketch;
import dev.vigil.core.sketch.SketchShape;
import dev.vigil.core.summary.StateAccumulator;
import dev.vigil.core.wal.Op;
import dev.vigil.core.wal.WalRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A partition's reference: the state the archived WAL produces up to {@link #lsn()} in a local RocksDB (its WAL off:
 * the archive is the log), its digest maintained as records are applied. The judge's, in the work directory, keeps
 * per key only its LSN and item hash ({@link ReferenceLocation#work}) and is saved between runs with a state file
 * written last (one without it is rebuilt, never trusted); a restore's keeps values ({@link
 * ReferenceLocation#workWithValues}, or its output in the node's format, {@link ReferenceLocation.Replica}). Not thread
 * safe.
 */
public final class ReferenceState implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReferenceState.class);
    /**
     * Heap for the item hashes a reference keeps while it replays, keys not used recently dropped first: 32 MiB (as
     * {@link ItemHashCache#cost} counts it) holds 262,144 keys of 16 bytes.
     */
    static final long HASH_CACHE_BYTES = 32L * 1024 * 1024;

    private final PartitionId partition;
    private final ReferenceLocation location;
    private final ReferenceDatabase db;
    private final ReplayBatch batch;
    private ReplayBatch.Writer writer;
    private final StateAccumulator summary;
    private final DigestAccumulator digest;
    private ItemHashCache hashes;
    private long lsn;

    private ReferenceState(
            PartitionId partition,
            ReferenceLocation location,
            ReferenceDatabase db,
            StateAccumulator summary,
            long lsn) {
        this.partition = partition;
        this.location = location;
        this.db = db;
        this.summary = summary;
        this.digest = summary.digest();
        this.lsn = lsn;
        this.hashes = new ItemHashCache(HASH_CACHE_BYTES, digest.snapshot().itemCount() == 0);
        this.batch = new ReplayBatch(location.layout());
        this.writer = db::write;
    }

    /** A reference {@link ReferenceLoader} has just loaded. */
    static ReferenceState loaded(
            PartitionId partition,
            ReferenceLocation location,
            ReferenceDatabase db,
            StateAccumulator summary,
            long lsn) {
        return new ReferenceState(partition, location, db, summary, lsn);
    }

    /**
     * Opens the partition's hash-only reference under {@code workDir}, or starts an empty one (LSN 0), without a
     * sketch.
     */
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
        return open(ReferenceLocation.work(workDir, partition), partition, algorithm, bucketBits, sketch);
    }

    /**
     * As {@link #open(Path, PartitionId, DigestAlgorithm, int, Optional)}, at {@code location}: a hash-only reference
     * saved by an earlier version with values is converted once ({@link ReferenceMigration}).
     */
    public static ReferenceState open(
            ReferenceLocation.Work location,
            PartitionId partition,
            DigestAlgorithm algorithm,
            int bucketBits,
            Optional<SketchShape> sketch)
            throws IOException {
        return ReferenceOpener.open(location, partition, algorithm, bucketBits, sketch);
    }

    /**
     * An empty replica (LSN 0) in the storage node's format at {@code location}, replacing whatever is there: the
     * start of a restore that has no snapshot to start from.
     */
    public static ReferenceState create(
            ReferenceLocation.Replica location, PartitionId partition, DigestAlgorithm algorithm, int bucketBits)
            throws IOException {
        location.discard();
        ReferenceDatabase db =
                ReferenceDatabase.open(location, partition, "cannot create the database of " + partition);
        return new ReferenceState(
                partition, location, db, StateAccumulator.create(algorithm, bucketBits, Optional.empty()), 0);
    }

    /**
     * Replaces what is at {@code location} with {@code items} (strictly ascending keys, as a snapshot holds them) at
     * {@code lsn}. The items become SST files that RocksDB ingests directly, bypassing its write path; the digest is
     * computed on the way. The caller compares the result's digest with the one the items came with before trusting it.
     */
    public static ReferenceState load(
            ReferenceLocation location,
            PartitionId partition,
            DigestAlgorithm algorithm,
            int bucketBits,
            long lsn,
            Iterator<ReferenceItem> items,
            Optional<SketchShape> sketch)
            throws IOException {
        return load(location, partition, algorithm, bucketBits, lsn, List.of(ItemRun.of(items)), sketch, 1);
    }

    /**
     * Replaces what is at {@code location} with the items of {@code runs} at {@code lsn}, reading up to {@code threads}
     * runs at once (see {@link ReferenceLoader}). Each run holds strictly ascending keys, all after those of the run
     * before it (as a snapshot's Parquet parts do). An item written after {@code lsn}, a key out of order within a run
     * or a run that overlaps the one before it is an {@link IOException} naming the key, and nothing is left at
     * {@code location}. The caller compares the result's digest with the one the items came with before trusting it.
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
        return new ReferenceLoader(location, partition, algorithm, bucketBits, sketch).load(lsn, runs, threads);
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
                List<byte[]> stored = db.storedValues(unknownKeys);
                for (int i = 0; i < unknownCount; i++) {
                    byte @Nullable [] value = stored.get(i);
                    if (value == null) {
                        hashes.makeAbsent(unknown[i]);
                    } else {
                        db.itemHash(unknownKeys.get(i), value, digest.hasher(), itemHash);
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
                    summary.add(record.key(), keyHashes[r], record.value(), itemHash);
                    changes.added(r, itemHash);
                    batch.put(record.key(), record.lsn(), record.value(), itemHash);
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
        } catch (RocksDBException | IOException e) {
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

    /** Replaces how a filled batch is written (the database by default): for tests of a refused write. */
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

    /**
     * The {@code (key, itemHash)} pairs of {@code buckets} in the current state, in key order; {@code hasher} must hash
     * as the reference's digest does (a hash-only reference reads the hashes it keeps).
     */
    public List<KeyHash> keyHashes(Set<Integer> buckets, ItemHasher hasher) throws IOException {
        if (hasher.algorithm() != digest.hasher().algorithm()) {
            throw new IllegalArgumentException("the reference of " + partition + " hashes items with "
                    + digest.hasher().algorithm() + ", not " + hasher.algorithm());
        }
        List<KeyHash> pairs = new ArrayList<>();
        long[] hash = new long[2];
        db.forEachStored((key, stored) -> {
            if (buckets.contains(hasher.bucket(key))) {
                db.itemHash(key, stored, hasher, hash);
                pairs.add(new KeyHash(key, hash[0], hash[1]));
            }
        });
        return pairs;
    }

    /**
     * Calls {@code consumer} with every live item, in key order. The reference must not change meanwhile. Only a
     * reference that keeps values and LSNs ({@link ReferenceLocation#workWithValues}) has items to give; the judge's
     * hash-only reference has {@link #forEachHash} instead.
     */
    public void forEachItem(ItemConsumer consumer) throws IOException {
        if (location.layout() != ReferenceLocation.Layout.VALUES_WITH_LSN) {
            throw new IllegalStateException("the reference of " + partition + " at " + location.database() + " keeps "
                    + (location.layout() == ReferenceLocation.Layout.HASHES ? "no values" : "no LSNs"));
        }
        db.forEachStored((key, stored) ->
                consumer.accept(new ReferenceItem(key, db.value(stored), ReferenceDatabase.lsnOf(stored))));
    }

    /**
     * Calls {@code consumer} with every live key, the LSN that last wrote it and its item hash ({@code [high, low]},
     * reused between calls), in key order: what a hash-only reference keeps. The reference must not change meanwhile.
     */
    public void forEachHash(ItemHashConsumer consumer) throws IOException {
        if (location.layout() == ReferenceLocation.Layout.VALUES) {
            throw new IllegalStateException(
                    "the replica of " + partition + " at " + location.database() + " keeps no LSN per item");
        }
        long[] hash = new long[2];
        db.forEachStored((key, stored) -> {
            db.itemHash(key, stored, digest.hasher(), hash);
            consumer.accept(key, ReferenceDatabase.lsnOf(stored), hash);
        });
    }

    /** How this reference stores its items. */
    public ReferenceLocation.Layout layout() {
        return location.layout();
    }

    /** Bytes the reference's database takes on disk. */
    public long diskBytes() throws IOException {
        return db.diskBytes();
    }

    /** Receives reference items. */
    @FunctionalInterface
    public interface ItemConsumer {
        void accept(ReferenceItem item) throws IOException;
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
        if (current.isEmpty() && location instanceof ReferenceLocation.Work work) {
            Optional<DifferenceSketch> kept = new ReferenceFiles(work).sketch(shape, algorithm);
            if (kept.isPresent()) {
                summary.replaceSketch(kept.get());
                return;
            }
        }
        rebuildSketch(shape);
    }

    /** Builds the sketch from every item (one pass over the reference), for a reference kept without one. */
    private void rebuildSketch(SketchShape shape) throws IOException {
        DifferenceSketch sketch = DifferenceSketch.empty(shape, digest.hasher().algorithm());
        long[] hash = new long[2];
        db.forEachStored((key, stored) -> {
            db.itemHash(key, stored, digest.hasher(), hash);
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
        db.flush();
        new ReferenceFiles(work).save(partition, lsn, digest.snapshot(), summary.sketch());
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
        db.completeAt(lsn);
    }

    @Override
    public void close() {
        batch.close();
        db.close();
    }
}
