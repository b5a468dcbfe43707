package dev.vigil.replay.snapshot;

import dev.vigil.core.Keys;
import dev.vigil.core.PartitionId;
import dev.vigil.core.digest.Digest;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.summary.StateAccumulator;
import dev.vigil.core.wal.SegmentExpectation;
import dev.vigil.core.wal.SegmentReader;
import dev.vigil.core.wal.WalRecord;
import dev.vigil.replay.ReferenceItem;
import dev.vigil.replay.ReferenceState;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Produces a partition's snapshot at an LSN the way an LSM compacts: the previous snapshot's items (sorted Parquet) and
 * the net changes of the archived WAL since it ({@link SortedChanges}: last writer wins per key, deletes remove;
 * sorted with bounded memory, spilled to disk when large) are merged in one streaming pass into new sorted Parquet
 * parts, whose digest is computed on the way. No reference with values is needed: a judge keeps item hashes only, and
 * {@link Snapshots#publish} compares the result's digest with the judge's before it publishes anything. Every segment
 * read is validated as in a replay (store checksum, record CRCs, LSN continuity, seal when read to its end); a gap or
 * a damaged segment is an {@link IOException} naming the LSNs or the object. Not thread safe.
 */
public final class SnapshotMerge {

    /** Memory for the WAL's changes before they spill to disk: 32 MiB, beside a Parquet reader's and writer's. */
    public static final long DEFAULT_MEMORY_BYTES = 32L * 1024 * 1024;

    private final Repository repository;
    private final ObjectStore store;
    private final long memoryBytes;

    public SnapshotMerge(Repository repository, long memoryBytes) {
        this.repository = repository;
        this.store = repository.store();
        this.memoryBytes = memoryBytes;
    }

    /**
     * What a merge wrote and read.
     *
     * @param parts        the Parquet parts, in key order
     * @param digest       the digest of the items written
     * @param baseLsn      the LSN of the snapshot merged with the WAL (0: none, every change since the start)
     * @param baseBytes    bytes of the previous snapshot's files read
     * @param walBytes     bytes of archived segments read
     * @param walRecords   records read from them
     * @param spilledBytes bytes of changes written to disk and read back
     */
    public record Merged(
            List<ParquetItems.Part> parts,
            Digest digest,
            long baseLsn,
            long baseBytes,
            long walBytes,
            long walRecords,
            long spilledBytes) {}

    /**
     * Writes the state of {@code partition} at {@code lsn} into {@code directory} as Parquet parts: the items of
     * {@code baseFiles} (the parts of the snapshot at {@code baseLsn}, downloaded and checked; none with
     * {@code baseLsn} 0) with the archived records {@code baseLsn + 1 .. lsn} applied. {@code scratch} holds spilled
     * changes and is removed after.
     */
    public Merged merge(
            PartitionId partition,
            long lsn,
            DigestAlgorithm algorithm,
            int bucketBits,
            long baseLsn,
            List<Path> baseFiles,
            Path scratch,
            Path directory)
            throws IOException {
        if (baseLsn > lsn) {
            throw new IllegalArgumentException("cannot merge the snapshot at LSN " + baseLsn + " down to " + lsn);
        }
        long baseBytes = 0;
        for (Path file : baseFiles) {
            baseBytes += Files.size(file);
        }
        Files.createDirectories(directory);
        try (SortedChanges changes = new SortedChanges(scratch, memoryBytes)) {
            long[] read = collect(partition, baseLsn, lsn, changes);
            StateAccumulator digest = StateAccumulator.create(algorithm, bucketBits, Optional.empty());
            List<ParquetItems.Part> parts;
            try (ParquetItems.ItemStream base = ParquetItems.readAll(baseFiles)) {
                parts = ParquetItems.writeParts(
                        partition,
                        lsn,
                        consumer -> mergeInto(base, baseLsn, changes.runs(), digest, consumer),
                        directory);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            return new Merged(
                    parts, digest.digest().snapshot(), baseLsn, baseBytes, read[0], read[1], changes.spilledBytes());
        }
    }

    /** Reads the archived records {@code from + 1 .. to} into {@code changes}; their bytes and count. */
    private long[] collect(PartitionId partition, long from, long to, SortedChanges changes) throws IOException {
        List<ArchivedSegment> segments = repository.archive(partition).segments();
        long next = from + 1;
        long bytes = 0;
        long records = 0;
        while (next <= to) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("interrupted while merging the snapshot of " + partition);
            }
            long wanted = next;
            ArchivedSegment segment = segments.stream()
                    .filter(s -> s.range().contains(wanted))
                    .findFirst()
                    .orElseThrow(() -> new IOException("partition " + partition + ": LSN " + wanted
                            + " is not in the archive, so the snapshot at LSN " + to + " cannot be merged from the"
                            + " one at LSN " + from));
            try (ObjectStream in = store.get(segment.key());
                    SegmentReader reader = SegmentReader.open(
                            in,
                            in.info().size(),
                            store.locate(segment.key()),
                            SegmentExpectation.of(partition, segment.range()))) {
                while (next <= to && reader.hasNext()) {
                    WalRecord record = reader.next();
                    if (record.lsn() < next) {
                        continue;
                    }
                    changes.add(record);
                    records++;
                    next = record.lsn() + 1;
                }
                if (next > segment.range().last()) {
                    reader.readToEnd();
                }
            } catch (IOException e) {
                if (e instanceof InterruptedIOException || e instanceof SortedChanges.SpillFailed) {
                    throw e;
                }
                throw new IOException(
                        "archived segment " + segment.key() + " (LSNs " + segment.range()
                                + ") is unreadable or damaged: " + e.getMessage(),
                        e);
            }
            bytes += segment.size();
        }
        return new long[] {bytes, records};
    }

    /** Merges the base items with the change runs (a later run wins), in key order, into {@code consumer}. */
    private static void mergeInto(
            ParquetItems.ItemStream base,
            long baseLsn,
            List<SortedChanges.Run> runs,
            StateAccumulator digest,
            ReferenceState.ItemConsumer consumer)
            throws IOException {
        try {
            List<SortedChanges.Run> all = new ArrayList<>();
            all.add(new BaseRun(base, baseLsn));
            all.addAll(runs);
            SortedChanges.Run merged = SortedChanges.newestWins(all);
            for (SortedChanges.Change change; (change = merged.next()) != null; ) {
                byte[] value = change.value();
                if (value != null) {
                    digest.add(change.key(), value);
                    consumer.accept(new ReferenceItem(change.key(), value, change.lsn()));
                }
            }
        } finally {
            for (SortedChanges.Run run : runs) {
                run.close();
            }
        }
    }

    /**
     * The previous snapshot's items as a run of changes, checked on the way: keys strictly ascending, none written after
     * the snapshot's LSN.
     */
    private static final class BaseRun implements SortedChanges.Run {
        private final ParquetItems.ItemStream items;
        private final long baseLsn;
        private byte @Nullable [] last;

        BaseRun(ParquetItems.ItemStream items, long baseLsn) {
            this.items = items;
            this.baseLsn = baseLsn;
        }

        @Override
        public SortedChanges.@Nullable Change next() throws IOException {
            if (!items.hasNext()) {
                return null;
            }
            ReferenceItem item = items.next();
            byte @Nullable [] previous = last;
            if (previous != null && Arrays.compareUnsigned(previous, item.key()) >= 0) {
                throw new IOException("the snapshot at LSN " + baseLsn + " holds key " + Keys.printable(item.key())
                        + " after key " + Keys.printable(previous) + ": its parts are not sorted");
            }
            if (item.lsn() > baseLsn) {
                throw new IOException("the snapshot at LSN " + baseLsn + " holds key " + Keys.printable(item.key())
                        + " written at LSN " + item.lsn() + ", after it");
            }
            last = item.key();
            return new SortedChanges.Change(item.key(), item.lsn(), item.value());
        }

        @Override
        public void close() {}
    }
}
