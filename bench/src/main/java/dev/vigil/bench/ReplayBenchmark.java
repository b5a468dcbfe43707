package dev.vigil.bench;

import dev.vigil.core.PartitionId;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.sketch.SketchShape;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.PutRequest;
import dev.vigil.core.wal.FsyncPolicy;
import dev.vigil.core.wal.Op;
import dev.vigil.core.wal.SealedSegment;
import dev.vigil.core.wal.SegmentExpectation;
import dev.vigil.core.wal.SegmentReader;
import dev.vigil.core.wal.SegmentWriter;
import dev.vigil.core.wal.WalRecord;
import dev.vigil.replay.ReferenceBuilder;
import dev.vigil.replay.ReferenceState;
import dev.vigil.replay.snapshot.SnapshotManifest;
import dev.vigil.replay.snapshot.Snapshots;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Replay into the reference (decode, validate, apply to the reference RocksDB, maintain the digest) against
 * decoding the same archived segments without applying them, in the same run, for 100-byte and 4 KiB values.
 * Run through {@code bench/run-replay}.
 */
public final class ReplayBenchmark {

    private static final PartitionId PARTITION = PartitionId.of("bench-0001");

    static {
        RocksDB.loadLibrary();
    }

    private ReplayBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path base = BenchSupport.scratch("vigil-replay-bench");
        StringBuilder table = new StringBuilder("""
                | value size | records | decode only: records/s | MB/s | bare RocksDB write, WAL off: records/s | replay into the reference: records/s | MB/s | replay / decode | replay / bare write | the same, both flushed | CPU s per M records: replay (bare write) | the same, both flushed | replay with the difference sketch: records/s | sketch cost |
                |---|---|---|---|---|---|---|---|---|---|---|---|---|---|
                """);
        StringBuilder snapshotRows = new StringBuilder();
        StringBuilder sizeRows = new StringBuilder();
        try {
            for (int[] shape :
                    new int[][] {{100, 1_000_000, 200_000}, {1024, 300_000, 20_000}, {4096, 100_000, 4_000}}) {
                table.append(run(base.resolve("v" + shape[0]), shape[0], shape[1], shape[2], snapshotRows, sizeRows));
            }
        } finally {
            BenchSupport.delete(base);
        }
        System.out.println();
        System.out.println(
                "Replay (keys: 16 bytes from a space of 200,000, so most puts overwrite; 10 percent deletes), local"
                        + " repository, page-cached; 3 measured rounds after a warm-up, the methods in a rotated order;"
                        + " \"flushed\" times each write until its memtables are flushed into SST files:");
        System.out.println();
        System.out.print(table);
        System.out.println();
        System.out.println("The judge's hash-only reference on disk (after save: flushed, RocksDB's own files included)"
                + " against the live data it stands for (keys of 16 bytes and their values):");
        System.out.println();
        System.out.println("| value size | live items | live data MB | reference on disk MB | reference / live data |");
        System.out.println("|---|---|---|---|---|");
        System.out.print(sizeRows);
        System.out.println();
        System.out.println(
                "Snapshots of the same state (ZSTD Parquet; write = merged from the archive alone, there being no"
                        + " previous snapshot, + encode + digest proof + upload to the local repository; load = download +"
                        + " verify SHA-256 + decode + SST ingestion + digest proof, into a hash-only reference):");
        System.out.println();
        System.out.println(
                "| value size | items | bare iteration of the hash-only reference: items/s | snapshot write: items/s"
                        + " | MB/s (Parquet) | write / iteration | snapshot load: items/s | load / replay of the same"
                        + " history |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        System.out.print(snapshotRows);
    }

    /** Times a bare iteration of the reference, writing it as a snapshot, and loading that snapshot back. */
    private static String snapshots(
            ObjectStore store, Path dir, ReferenceState reference, int valueSize, double replayRecordsPerSecond)
            throws Exception {
        long[] count = {0};
        long t0 = System.nanoTime();
        reference.forEachHash((key, lsn, hash) -> count[0] += key.length);
        double iterate = (System.nanoTime() - t0) / 1e9;
        Snapshots snapshots =
                new Snapshots(new Repository(store), dir.resolve("snapshot-scratch"), Clock.systemUTC(), 4);
        t0 = System.nanoTime();
        SnapshotManifest manifest = snapshots.publish(reference, 0);
        double write = (System.nanoTime() - t0) / 1e9;
        long parquetBytes = manifest.files().stream()
                .mapToLong(SnapshotManifest.SnapshotFile::size)
                .sum();
        t0 = System.nanoTime();
        try (ReferenceState loaded = snapshots.load(manifest, dir.resolve("work-load"), DigestAlgorithm.XXH128, 12)) {
            if (!loaded.digest().equals(reference.digest())) {
                throw new IllegalStateException("the loaded snapshot differs from the reference");
            }
        }
        double load = (System.nanoTime() - t0) / 1e9;
        long items = manifest.items();
        return String.format(
                Locale.ROOT,
                "| %d B | %,d | %,.0f | %,.0f | %.0f | %.2f× | %,.0f | %.1f× |%n",
                valueSize,
                items,
                items / iterate,
                items / write,
                parquetBytes / 1e6 / write,
                iterate / write,
                items / load,
                (items / load) / replayRecordsPerSecond);
    }

    /**
     * The baseline: the same records (decoded beforehand) written into a fresh RocksDB with the reference's table
     * options (Bloom filters, a 64 MiB block cache, 64 MiB memtables), in batches of 512, WAL off; no reads, no
     * digest; then flushed, waiting for it.
     */
    private static Timing bareWrite(Path dir, List<WalRecord> records) throws Exception {
        Files.createDirectories(dir);
        BlockBasedTableConfig table = new BlockBasedTableConfig()
                .setFilterPolicy(new BloomFilter(10, false))
                .setBlockCache(new LRUCache(64L * 1024 * 1024))
                .setCacheIndexAndFilterBlocks(true)
                .setPinL0FilterAndIndexBlocksInCache(true);
        try (Options options = new Options()
                        .setCreateIfMissing(true)
                        .setTableFormatConfig(table)
                        .setWriteBufferSize(64L * 1024 * 1024)
                        .setMaxWriteBufferNumber(3)
                        .setMaxBackgroundJobs(2);
                RocksDB db = RocksDB.open(options, dir.toString());
                WriteOptions writes = new WriteOptions().setDisableWAL(true);
                FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            Timing timing = Timing.start();
            for (int i = 0; i < records.size(); i += 512) {
                try (WriteBatch batch = new WriteBatch()) {
                    for (WalRecord record : records.subList(i, Math.min(i + 512, records.size()))) {
                        if (record.op() == Op.PUT) {
                            batch.put(record.key(), record.value());
                        } else {
                            batch.delete(record.key());
                        }
                    }
                    db.write(writes, batch);
                }
            }
            timing.written();
            db.flush(flush);
            return timing.flushed();
        } finally {
            BenchSupport.delete(dir);
        }
    }

    /**
     * The seconds and the process's CPU seconds (RocksDB's background threads included) to the last write, and to
     * the data flushed into SST files.
     */
    private static final class Timing {
        private final long t0 = System.nanoTime();
        private final long cpu0 = BenchSupport.cpuNanos();
        private final double[] seconds = new double[4];

        static Timing start() {
            return new Timing();
        }

        void written() {
            seconds[0] = (System.nanoTime() - t0) / 1e9;
            seconds[1] = (BenchSupport.cpuNanos() - cpu0) / 1e9;
        }

        Timing flushed() {
            seconds[2] = (System.nanoTime() - t0) / 1e9;
            seconds[3] = (BenchSupport.cpuNanos() - cpu0) / 1e9;
            return this;
        }

        void addTo(double[] total) {
            for (int i = 0; i < total.length; i++) {
                total[i] += seconds[i];
            }
        }
    }

    /** One of the measured methods of a round. */
    @FunctionalInterface
    private interface Method {
        Timing run(int round) throws Exception;
    }

    /** Streams and validates every archived segment, handing each record to {@code records}. */
    private static void decodeAll(ObjectStore store, List<ArchivedSegment> segments, Consumer<WalRecord> records)
            throws IOException {
        for (ArchivedSegment segment : segments) {
            try (ObjectStream in = store.get(segment.key());
                    SegmentReader reader = SegmentReader.open(
                            in, in.info().size(), segment.key(), SegmentExpectation.of(PARTITION, segment.range()))) {
                while (reader.hasNext()) {
                    records.accept(reader.next());
                }
            }
        }
    }

    private static String run(
            Path dir, int valueSize, int records, int perSegment, StringBuilder snapshotRows, StringBuilder sizeRows)
            throws Exception {
        Path wal = Files.createDirectories(dir.resolve("wal"));
        SplittableRandom random = new SplittableRandom(valueSize);
        long bytes = 0;
        try (ObjectStore store = ObjectStores.localDirectory(dir.resolve("repo"), Clock.systemUTC())) {
            long lsn = 1;
            byte[] value = new byte[valueSize];
            while (lsn <= records) {
                try (SegmentWriter writer =
                        SegmentWriter.create(wal, PARTITION, lsn, Clock.systemUTC(), FsyncPolicy.ON_SYNC)) {
                    for (int i = 0; i < perSegment && lsn <= records; i++) {
                        byte[] key = String.format("key-%012d", random.nextInt(200_000))
                                .getBytes(StandardCharsets.US_ASCII);
                        if (random.nextInt(10) == 0) {
                            writer.append(WalRecord.delete(lsn++, 0, key));
                        } else {
                            random.nextBytes(value);
                            writer.append(WalRecord.put(lsn++, 0, key, value.clone()));
                        }
                    }
                    SealedSegment sealed = writer.seal();
                    bytes += sealed.summary().byteSize();
                    store.put(PutRequest.ifAbsent(
                            RepositoryLayout.walKey(PARTITION, sealed.summary().lsnRange()),
                            ObjectBody.ofFile(sealed.path()),
                            sealed.summary().checksum(),
                            Map.of()));
                    Files.delete(sealed.path());
                }
            }
            List<ArchivedSegment> segments =
                    new Repository(store).archive(PARTITION).segments();
            List<WalRecord> all = new ArrayList<>(records);
            decodeAll(store, segments, all::add);
            // Four methods; each round runs them in a rotated order (this machine slows down as a run goes on, so a
            // fixed order would favour whichever runs first). Round 0 warms up.
            int rounds = 4;
            String[] snapshotRow = {""};
            String[] sizeRow = {""};
            List<Method> methods = List.of(
                    round -> {
                        Timing timing = Timing.start();
                        long[] decodedBytes = {0};
                        decodeAll(store, segments, record -> decodedBytes[0] += record.key().length);
                        if (decodedBytes[0] == 0) {
                            throw new IllegalStateException("nothing decoded");
                        }
                        timing.written();
                        return timing.flushed();
                    },
                    round -> bareWrite(dir.resolve("bare-" + round), all),
                    round -> {
                        Timing timing = Timing.start();
                        try (ReferenceState reference = ReferenceState.open(
                                dir.resolve("work-" + round), PARTITION, DigestAlgorithm.XXH128, 12)) {
                            new ReferenceBuilder(new Repository(store))
                                    .advance(reference, records, new TreeSet<>(), (l, s) -> {});
                            if (reference.lsn() != records) {
                                throw new IllegalStateException("replay reached " + reference.lsn());
                            }
                            timing.written();
                            reference.save();
                            timing.flushed();
                            if (round == rounds - 1) {
                                long live = reference.digest().itemCount() * (16L + valueSize);
                                sizeRow[0] = String.format(
                                        Locale.ROOT,
                                        "| %d B | %,d | %.1f | %.1f | **%.1f%%** |%n",
                                        valueSize,
                                        reference.digest().itemCount(),
                                        live / 1e6,
                                        reference.diskBytes() / 1e6,
                                        100.0 * reference.diskBytes() / live);
                                snapshotRow[0] =
                                        snapshots(store, dir, reference, valueSize, records / timing.seconds[0]);
                            }
                        }
                        return timing;
                    },
                    round -> {
                        Timing timing = Timing.start();
                        try (ReferenceState reference = ReferenceState.open(
                                dir.resolve("sketch-work-" + round),
                                PARTITION,
                                DigestAlgorithm.XXH128,
                                12,
                                Optional.of(SketchShape.forCapacity(SketchShape.DEFAULT_CAPACITY)))) {
                            new ReferenceBuilder(new Repository(store))
                                    .advance(reference, records, new TreeSet<>(), (l, s) -> {});
                            if (reference.lsn() != records || reference.sketch().isEmpty()) {
                                throw new IllegalStateException("replay with a sketch reached " + reference.lsn());
                            }
                            timing.written();
                            reference.save();
                            timing.flushed();
                        }
                        BenchSupport.delete(dir.resolve("sketch-work-" + round));
                        return timing;
                    });
            double[][] totals = new double[methods.size()][4];
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < methods.size(); i++) {
                    int m = (i + round) % methods.size();
                    Timing timing = methods.get(m).run(round);
                    if (round > 0) {
                        timing.addTo(totals[m]);
                    }
                }
            }
            all.clear();
            int measured = rounds - 1;
            double[] decode = totals[0];
            double[] bare = totals[1];
            double[] replay = totals[2];
            double[] sketched = totals[3];
            double mb = bytes / 1e6;
            double millions = records * measured / 1e6;
            snapshotRows.append(snapshotRow[0]);
            sizeRows.append(sizeRow[0]);
            return String.format(
                    Locale.ROOT,
                    "| %d B | %,d | %,.0f | %.0f | %,.0f | %,.0f | %.0f | %.2f× | **%.2f×** | %.2f× | %.2f (%.2f) | %.2f"
                            + " (%.2f) | %,.0f | %+.0f%% time |%n",
                    valueSize,
                    records,
                    records * measured / decode[0],
                    mb * measured / decode[0],
                    records * measured / bare[0],
                    records * measured / replay[0],
                    mb * measured / replay[0],
                    decode[0] / replay[0],
                    bare[0] / replay[0],
                    bare[2] / replay[2],
                    replay[1] / millions,
                    bare[1] / millions,
                    replay[3] / millions,
                    bare[3] / millions,
                    records * measured / sketched[0],
                    (sketched[0] / replay[0] - 1) * 100);
        }
    }
}
