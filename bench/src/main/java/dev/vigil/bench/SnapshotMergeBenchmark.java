package dev.vigil.bench;

import dev.vigil.core.PartitionId;
import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.digest.Digest;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.store.PutRequest;
import dev.vigil.core.wal.FsyncPolicy;
import dev.vigil.core.wal.SealedSegment;
import dev.vigil.core.wal.SegmentWriter;
import dev.vigil.core.wal.WalRecord;
import dev.vigil.replay.HashCheckpoints;
import dev.vigil.replay.HashStateManifest;
import dev.vigil.replay.ReferenceBuilder;
import dev.vigil.replay.ReferenceLocation;
import dev.vigil.replay.ReferenceState;
import dev.vigil.replay.snapshot.ParquetItems;
import dev.vigil.replay.snapshot.SnapshotManifest;
import dev.vigil.replay.snapshot.Snapshots;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * A snapshot by merge (the previous snapshot and the WAL since it, {@code Snapshots.publish}) against a snapshot written
 * from a full reference with values (the design before: iterate the reference, write Parquet), for a partition of
 * {@code --keys} keys with {@code --value-size} values after {@code --changed} of it was rewritten (90% overwrites, 10%
 * deletes); and the bytes a worker that never saw the partition downloads to judge it: the hash-state checkpoint
 * against the snapshot. Local repository, page-cached. Run through {@code bench/run-snapshot-merge}.
 */
public final class SnapshotMergeBenchmark {

    private static final PartitionId PARTITION = PartitionId.of("bench-merge");
    private static final DigestAlgorithm ALGORITHM = DigestAlgorithm.XXH128;
    private static final int BITS = 12;

    private SnapshotMergeBenchmark() {}

    public static void main(String[] args) throws Exception {
        int keys = Integer.parseInt(BenchSupport.option(args, "--keys", "1000000"));
        int valueSize = Integer.parseInt(BenchSupport.option(args, "--value-size", "1024"));
        double changed = Double.parseDouble(BenchSupport.option(args, "--changed", "0.10"));
        Path base = BenchSupport.scratch("vigil-merge-bench");
        Clock clock = Clock.systemUTC();
        try (ObjectStore store = ObjectStores.localDirectory(base.resolve("repo"), clock)) {
            Repository repository = new Repository(store);
            int changes = (int) (keys * changed);
            long walFirst = archive(store, base.resolve("wal"), 1, keys, keys, valueSize, 1);
            long last = archive(store, base.resolve("wal"), keys + 1, changes, keys, valueSize, 2);
            Snapshots snapshots = new Snapshots(repository, base.resolve("scratch"), clock, 4);

            // The state each design keeps between snapshots: a reference with values (before), or a hash-only one and
            // the snapshot at the first LSN (now). Neither is timed.
            ReferenceBuilder builder = new ReferenceBuilder(repository);
            Digest atFirst;
            Digest atLast;
            try (ReferenceState hashes = ReferenceState.open(base.resolve("hashes"), PARTITION, ALGORITHM, BITS)) {
                builder.advance(hashes, walFirst, new TreeSet<>(), (l, s) -> {});
                atFirst = hashes.digest();
                builder.advance(hashes, last, new TreeSet<>(), (l, s) -> {});
                atLast = hashes.digest();
                hashes.save();
            }
            Measure first = Measure.start();
            SnapshotManifest baseSnapshot = snapshots.publish(PARTITION, walFirst, atFirst, 0, bad -> {
                throw new IllegalStateException(bad);
            });
            first.stop();
            first.read = walBytes(store, 0, walFirst);
            long baseBytes = fileBytes(baseSnapshot);

            ReferenceLocation.Work withValues = ReferenceLocation.workWithValues(base.resolve("values"), PARTITION);
            Measure before;
            long beforeWritten = 0;
            try (ReferenceState values =
                    ReferenceState.open(withValues, PARTITION, ALGORITHM, BITS, Optional.empty())) {
                builder.advance(values, last, new TreeSet<>(), (l, s) -> {});
                values.save();
                long referenceBytes = values.diskBytes();
                Path parts = Files.createDirectories(base.resolve("from-reference"));
                before = Measure.start();
                List<ParquetItems.Part> written = ParquetItems.writeParts(PARTITION, last, values::forEachItem, parts);
                for (ParquetItems.Part part : written) {
                    store.put(PutRequest.overwrite(
                            "bench/from-reference/" + part.path().getFileName(),
                            ObjectBody.ofFile(part.path()),
                            Checksum.of(ChecksumAlgorithm.SHA256, part.path()),
                            Map.of()));
                }
                before.stop();
                for (ParquetItems.Part part : written) {
                    beforeWritten += Files.size(part.path());
                }
                before.read = referenceBytes;
            }
            long walChanged = walBytes(store, walFirst, last);
            Measure merge = Measure.start();
            SnapshotManifest merged = snapshots.publish(PARTITION, last, atLast, 0, bad -> {
                throw new IllegalStateException(bad);
            });
            merge.stop();
            merge.read = baseBytes + walChanged;
            long mergedBytes = fileBytes(merged);

            HashStateManifest hashState;
            try (ReferenceState hashes = ReferenceState.open(base.resolve("hashes"), PARTITION, ALGORITHM, BITS)) {
                hashState = new HashCheckpoints(repository, base.resolve("scratch"), clock).publish(hashes);
            }
            long liveBytes = merged.items() * (16L + valueSize);

            System.out.printf(
                    Locale.ROOT,
                    "%nSnapshot of a partition of %,d keys with %d-byte values (%,d items, %.0f MB live) after %,d"
                            + " changes (%.0f%%; WAL since the last snapshot %.0f MB):%n%n",
                    keys,
                    valueSize,
                    merged.items(),
                    liveBytes / 1e6,
                    changes,
                    changed * 100,
                    walChanged / 1e6);
            System.out.println("| method | time s | CPU s | read MB | written MB | peak heap MB |");
            System.out.println("|---|---|---|---|---|---|");
            before.row(
                    "from a full reference with values (before): iterate the reference, write + upload Parquet",
                    beforeWritten);
            merge.row(
                    "by merge (now): download the previous snapshot, read the WAL since, merge, prove the digest,"
                            + " upload",
                    mergedBytes);
            first.row("the first snapshot, from the archive alone (merge with no previous snapshot)", baseBytes);
            System.out.printf(
                    Locale.ROOT,
                    "%nmerge / from a reference: %.2f× the time, %.2f× the CPU%n",
                    merge.seconds / before.seconds,
                    merge.cpu / before.cpu);
            System.out.printf(
                    Locale.ROOT,
                    "%nFailover (a worker that never saw the partition, at the checkpoint's LSN): hash state %.1f MB"
                            + " (%,d keys) vs snapshot %.1f MB: %.1f%% of the download; live data %.0f MB%n",
                    hashState.size() / 1e6,
                    hashState.items(),
                    mergedBytes / 1e6,
                    100.0 * hashState.size() / mergedBytes,
                    liveBytes / 1e6);
        } finally {
            BenchSupport.delete(base);
        }
    }

    /** Bytes of the archived segments holding LSNs {@code after + 1 .. upTo}. */
    private static long walBytes(ObjectStore store, long after, long upTo) throws IOException {
        return new Repository(store)
                .archive(PARTITION).segments().stream()
                        .filter(s -> s.range().first() > after && s.range().last() <= upTo)
                        .mapToLong(ArchivedSegment::size)
                        .sum();
    }

    private static long fileBytes(SnapshotManifest manifest) {
        return manifest.files().stream()
                .mapToLong(SnapshotManifest.SnapshotFile::size)
                .sum();
    }

    /**
     * Archives {@code count} records from {@code firstLsn}: with {@code round} 1 one put of each key in turn, else puts
     * of random keys (1 in 10 a delete); segments of 20,000 records. Returns the last LSN.
     */
    private static long archive(
            ObjectStore store, Path wal, long firstLsn, int count, int keys, int valueSize, int round)
            throws Exception {
        Files.createDirectories(wal);
        SplittableRandom random = new SplittableRandom(round);
        byte[] value = new byte[valueSize];
        long lsn = firstLsn;
        long end = firstLsn + count;
        while (lsn < end) {
            SealedSegment sealed;
            try (SegmentWriter writer =
                    SegmentWriter.create(wal, PARTITION, lsn, Clock.systemUTC(), FsyncPolicy.ON_SYNC)) {
                for (int i = 0; i < 20_000 && lsn < end; i++) {
                    int k = round == 1 ? (int) (lsn - firstLsn) : random.nextInt(keys);
                    byte[] key = String.format(Locale.ROOT, "key-%012d", k).getBytes(StandardCharsets.US_ASCII);
                    if (round != 1 && random.nextInt(10) == 0) {
                        writer.append(WalRecord.delete(lsn++, 0, key));
                    } else {
                        random.nextBytes(value);
                        writer.append(WalRecord.put(lsn++, 0, key, value.clone()));
                    }
                }
                sealed = writer.seal();
            }
            store.put(PutRequest.ifAbsent(
                    RepositoryLayout.walKey(PARTITION, sealed.summary().lsnRange()),
                    ObjectBody.ofFile(sealed.path()),
                    sealed.summary().checksum(),
                    Map.of()));
            Files.delete(sealed.path());
        }
        return end - 1;
    }

    /** Wall and CPU seconds, bytes read, and the heap's peak (pools reset at the start). */
    private static final class Measure {
        private final long t0 = System.nanoTime();
        private final long cpu0 = BenchSupport.cpuNanos();
        private double seconds;
        private double cpu;
        private long read;
        private long peakHeap;

        static Measure start() {
            System.gc();
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                pool.resetPeakUsage();
            }
            return new Measure();
        }

        void stop() {
            seconds = (System.nanoTime() - t0) / 1e9;
            cpu = (BenchSupport.cpuNanos() - cpu0) / 1e9;
            peakHeap = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP)
                    .mapToLong(p -> p.getPeakUsage().getUsed())
                    .sum();
        }

        void row(String method, long written) {
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %.1f | %.1f | %.0f | %.0f | %.0f |%n",
                    method,
                    seconds,
                    cpu,
                    read / 1e6,
                    written / 1e6,
                    peakHeap / 1e6);
        }
    }
}
