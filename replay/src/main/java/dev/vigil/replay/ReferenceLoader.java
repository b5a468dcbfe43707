package dev.vigil.replay;

import dev.vigil.core.Keys;
import dev.vigil.core.PartitionId;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.digest.ItemHasher;
import dev.vigil.core.io.ThreadPools;
import dev.vigil.core.sketch.SketchShape;
import dev.vigil.core.summary.StateAccumulator;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Loads a reference from sorted runs of items (a snapshot's Parquet parts): each run becomes its own SST files with its
 * own digest, computed on the way by one of up to {@code threads} threads, the digests are added up, and RocksDB
 * ingests all the files at once, bypassing its write path. What it loads is checked on the way: an item written after
 * the snapshot's LSN, a key out of order within a run or a run that overlaps the one before it is an
 * {@link IOException} naming the key, and nothing is left at the location.
 */
final class ReferenceLoader {

    private final ReferenceLocation location;
    private final PartitionId partition;
    private final DigestAlgorithm algorithm;
    private final int bucketBits;
    private final Optional<SketchShape> sketch;

    ReferenceLoader(
            ReferenceLocation location,
            PartitionId partition,
            DigestAlgorithm algorithm,
            int bucketBits,
            Optional<SketchShape> sketch) {
        this.location = location;
        this.partition = partition;
        this.algorithm = algorithm;
        this.bucketBits = bucketBits;
        this.sketch = sketch;
    }

    /** Replaces what is at the location with the items of {@code runs} at {@code lsn}. */
    ReferenceState load(long lsn, List<ItemRun> runs, int threads) throws IOException {
        location.discard();
        List<SortedSstWriter> writers = new ArrayList<>();
        AtomicBoolean abandoned = new AtomicBoolean();
        AtomicInteger names = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(
                Math.max(1, Math.min(threads, runs.size())),
                r -> new Thread(r, "vigil-load-" + partition + "-" + names.incrementAndGet()));
        try {
            List<Future<StateAccumulator>> loads = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                SortedSstWriter sst = new SortedSstWriter(
                        location.ingestStaging().resolve(String.format(Locale.ROOT, "run-%05d", i)),
                        "the snapshot of " + partition,
                        location.tableFormatVersion());
                writers.add(sst);
                ItemRun run = runs.get(i);
                loads.add(pool.submit(() -> loadRun(run, sst, lsn, abandoned)));
            }
            StateAccumulator total = StateAccumulator.create(algorithm, bucketBits, sketch);
            for (Future<StateAccumulator> load : loads) {
                total.addAll(await(load));
            }
            checkRunsInOrder(writers, lsn);
            ReferenceDatabase db = ReferenceDatabase.ingesting(location, partition, writers);
            return ReferenceState.loaded(partition, location, db, total, lsn);
        } catch (IOException | RuntimeException e) {
            stop(pool, abandoned);
            location.discard();
            throw e;
        } finally {
            stop(pool, abandoned);
            writers.forEach(SortedSstWriter::close);
        }
    }

    /** Writes one run's items into {@code sst}, checking each against {@code lsn}; its digest and sketch. */
    private StateAccumulator loadRun(ItemRun run, SortedSstWriter sst, long lsn, AtomicBoolean abandoned)
            throws IOException {
        StateAccumulator accumulator = StateAccumulator.create(algorithm, bucketBits, sketch);
        long[] hash = new long[2];
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
                accumulator.add(item.key(), ItemHasher.keyHash(item.key()), item.value(), hash);
                sst.put(item.key(), ReferenceDatabase.encode(location, item.lsn(), item.value(), hash));
            }
        } catch (UncheckedIOException e) {
            throw Objects.requireNonNullElse(e.getCause(), new IOException(e.getMessage(), e));
        }
        return accumulator;
    }

    /** The result of one run's load; its failure as the {@link IOException} it was. */
    private StateAccumulator await(Future<StateAccumulator> load) throws IOException {
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
    private void checkRunsInOrder(List<SortedSstWriter> writers, long lsn) throws IOException {
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
}
