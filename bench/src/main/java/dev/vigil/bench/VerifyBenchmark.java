package dev.vigil.bench;

import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.config.VerifyConfig;
import dev.vigil.core.digest.Digest;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.node.StorageNodeContract;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.sketch.SketchShape;
import dev.vigil.core.store.EncryptedObjects;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.store.PutRequest;
import dev.vigil.core.summary.StateAccumulator;
import dev.vigil.core.wal.SegmentReader;
import dev.vigil.core.wal.SegmentSummary;
import dev.vigil.encryption.EncryptingObjectStore;
import dev.vigil.encryption.Keyring;
import dev.vigil.encryption.KeyringKeys;
import dev.vigil.scrubber.ArchiveVerifier;
import dev.vigil.scrubber.LocalReplica;
import dev.vigil.scrubber.ReplicaView;
import dev.vigil.scrubber.RocksDbReplicaSource;
import dev.vigil.scrubber.VerifyReport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Two measurements for {@code docs/performance.md}, each against baselines run on the same bytes in the same
 * run: (1) scrubbing a RocksDB replica into a digest against a bare RocksDB iterator over the same checkpoint
 * (with the same checksum verification); (2) archive verification of 1 GiB of archived segments against
 * {@code sha256sum} and {@code rclone check} over the same segment files. Run through {@code bench/run-verify}.
 */
public final class VerifyBenchmark {

    private static final PartitionId PARTITION = PartitionId.of("bench-0001");

    private VerifyBenchmark() {}

    public static void main(String[] args) throws Exception {
        int items = Integer.parseInt(BenchSupport.option(args, "--items", "2000000"));
        long archiveMib = Long.parseLong(BenchSupport.option(args, "--archive-mib", "1024"));
        String only = BenchSupport.option(args, "--only", "all");
        Path base = BenchSupport.scratch("vigil-verify-bench");
        try {
            if (!only.equals("archive")) {
                System.out.println(scrub(base.resolve("scrub"), items));
            }
            if (!only.equals("scrub")) {
                System.out.println(archive(base.resolve("archive"), archiveMib));
            }
        } finally {
            BenchSupport.delete(base);
        }
    }

    private static String scrub(Path root, int items) throws Exception {
        RocksDB.loadLibrary();
        Path replicaDir = Files.createDirectories(StorageNodeContract.replicaDir(root, PARTITION));
        SplittableRandom random = new SplittableRandom(9);
        long bytes = 0;
        try (Options options = new Options().setCreateIfMissing(true);
                RocksDB db = RocksDB.open(options, replicaDir.toString());
                WriteOptions write = new WriteOptions().setDisableWAL(true)) {
            byte[] value = new byte[100];
            for (int i = 0; i < items; i += 1000) {
                try (WriteBatch batch = new WriteBatch()) {
                    for (int j = i; j < Math.min(items, i + 1000); j++) {
                        random.nextBytes(value);
                        byte[] key = String.format("user:%012d", j).getBytes(StandardCharsets.US_ASCII);
                        batch.put(key, value);
                        bytes += key.length + value.length;
                    }
                    batch.put(
                            StorageNodeContract.appliedLsnKey(),
                            ByteBuffer.allocate(8).putLong(i + 1000).array());
                    db.write(write, batch);
                }
            }
            try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                db.flush(flush);
            }
            db.compactRange();
        }
        RocksDbReplicaSource source = new RocksDbReplicaSource(root.resolve("scratch"));
        Path checkpoint = root.resolve("checkpoint");
        source.checkpoint(new LocalReplica(PARTITION, ReplicaId.of("bench"), replicaDir), checkpoint)
                .close();

        // Five ways to read the same checkpoint; each round runs them in a rotated order, so that none always runs
        // right after another (this machine's speed drifts within a run).
        List<String> names = List.of(
                "bare RocksDB iterator, keys and values as arrays (same checkpoint, same read options)",
                "bare RocksDB iterator, keys and values copied into one reused array (as the scrub reads them)",
                "Vigil scrub: iterator + XXH128 item hash + 4096-bucket digest",
                "Vigil scrub with the difference sketch (capacity 1,000: 1,500 cells)");
        List<ScanMethod> methods = List.of(
                () -> bareScan(checkpoint, false),
                () -> bareScan(checkpoint, true),
                () -> scrubScan(source, checkpoint, Optional.empty()),
                () -> scrubScan(
                        source, checkpoint, Optional.of(SketchShape.forCapacity(SketchShape.DEFAULT_CAPACITY))));
        double[][] totals = new double[methods.size()][2];
        int rounds = 4;
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < methods.size(); i++) {
                int m = (i + round) % methods.size();
                long cpu0 = BenchSupport.cpuNanos();
                long t0 = System.nanoTime();
                methods.get(m).run();
                if (round > 0) {
                    totals[m][0] += (System.nanoTime() - t0) / 1e9;
                    totals[m][1] += (BenchSupport.cpuNanos() - cpu0) / 1e9;
                }
            }
        }
        int measured = rounds - 1;
        double mb = bytes / 1e6;
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, """
                Scrub of a RocksDB replica: %,d items (12-byte keys, 100-byte values, %.0f MB of data), page-cached,
                block checksums verified, %d measured rounds after one warm-up, the methods in a rotated order.

                | method | items/s | MB/s | CPU s | over the bare iterator (arrays) | over the bare iterator (reused array) |
                |---|---|---|---|---|---|
                """, items, mb, measured));
        for (int m = 0; m < methods.size(); m++) {
            double seconds = totals[m][0];
            table.append(String.format(
                    Locale.ROOT,
                    "| %s | %,.0f | %.0f | %.2f | %s | %s |%n",
                    names.get(m),
                    items * measured / seconds,
                    mb * measured / seconds,
                    totals[m][1] / measured,
                    m == 0 ? "—" : String.format(Locale.ROOT, "%+.0f%% time", (seconds / totals[0][0] - 1) * 100),
                    m == 1 ? "—" : String.format(Locale.ROOT, "%+.0f%% time", (seconds / totals[1][0] - 1) * 100)));
        }
        return table.toString();
    }

    /** One way of reading the checkpoint. */
    @FunctionalInterface
    private interface ScanMethod {
        void run() throws Exception;
    }

    /**
     * A bare iteration of the checkpoint, reading each key and value as new arrays or copying them into one reused
     * array.
     */
    private static void bareScan(Path checkpoint, boolean reused) throws RocksDBException {
        long count = 0;
        byte[] item = new byte[64 * 1024];
        try (Options options = new Options();
                RocksDB db = RocksDB.openReadOnly(options, checkpoint.toString());
                ReadOptions read = new ReadOptions()
                        .setVerifyChecksums(true)
                        .setFillCache(false)
                        .setReadaheadSize(2 << 20);
                RocksIterator it = db.newIterator(read)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                if (reused) {
                    int key = it.key(item, 0, item.length);
                    count += key + it.value(item, key, item.length - key);
                } else {
                    count += it.key().length + it.value().length;
                }
            }
            it.status();
        }
        if (count == 0) {
            throw new IllegalStateException("empty scan");
        }
    }

    /** The scrub's own scan and digest (with a sketch of {@code shape}, when present). */
    private static void scrubScan(RocksDbReplicaSource source, Path checkpoint, Optional<SketchShape> shape)
            throws IOException {
        StateAccumulator state = StateAccumulator.create(DigestAlgorithm.XXH128, Digest.DEFAULT_BUCKET_BITS, shape);
        try (ReplicaView view = source.open(checkpoint)) {
            view.scan(state::add);
        }
        if (state.digest().snapshot().itemCount() == 0) {
            throw new IllegalStateException("empty scan");
        }
    }

    private static String archive(Path root, long mib) throws Exception {
        Path node = root.resolve("node");
        ArchiveBenchmark.generate(node, mib, 16);
        Path wal = StorageNodeContract.walDir(node, PARTITION);
        List<Path> files;
        try (Stream<Path> list = Files.list(wal)) {
            files = list.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
        long bytes = 0;
        SecureRandom random = new SecureRandom();
        try (ObjectStore store = ObjectStores.localDirectory(root.resolve("repo"), Clock.systemUTC());
                ObjectStore encryptedRaw = ObjectStores.localDirectory(root.resolve("encrypted"), Clock.systemUTC())) {
            // The same segments in a second repository, encrypted: verified with the keys and, as an auditor's
            // machine does, without them (stored bytes re-hashed only).
            ObjectStore encrypted = new EncryptingObjectStore(
                    encryptedRaw,
                    new KeyringKeys(
                            Keyring.create("bench", Instant.now(), random), root.resolve("keyring.json"), random),
                    "bench",
                    root.resolve("scratch"));
            ObjectStore keyless = EncryptedObjects.keyless(encryptedRaw);
            for (Path file : files) {
                SegmentSummary summary = SegmentReader.validate(file);
                for (ObjectStore target : List.of(store, encrypted)) {
                    target.put(PutRequest.ifAbsent(
                            RepositoryLayout.walKey(PARTITION, summary.lsnRange()),
                            ObjectBody.ofFile(file),
                            summary.checksum(),
                            Map.of()));
                }
                bytes += summary.byteSize();
            }
            Path copy = Files.createDirectories(root.resolve("copy"));
            for (Path file : files) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
            List<String> sha = new ArrayList<>(List.of("sha256sum"));
            files.forEach(f -> sha.add(f.toString()));
            List<String[]> rows = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                double[] shaTime = timed(sha.toArray(String[]::new));
                double[] rclone =
                        timed("rclone", "check", "--one-way", "--checkers", "4", "-q", wal.toString(), copy.toString());
                long cpu0 = BenchSupport.cpuNanos();
                long t0 = System.nanoTime();
                VerifyReport report = verifyAll(store);
                double vigil = (System.nanoTime() - t0) / 1e9;
                double vigilCpu = (BenchSupport.cpuNanos() - cpu0) / 1e9;
                if (report.hasFindings() || report.hasErrors() || report.bytesVerified() != bytes) {
                    throw new IllegalStateException("verification did not read everything cleanly: " + report);
                }
                long cpu1 = BenchSupport.cpuNanos();
                long t1 = System.nanoTime();
                VerifyReport withKeys = verifyAll(encrypted);
                double decrypting = (System.nanoTime() - t1) / 1e9;
                double decryptingCpu = (BenchSupport.cpuNanos() - cpu1) / 1e9;
                long cpu2 = BenchSupport.cpuNanos();
                long t2 = System.nanoTime();
                VerifyReport withoutKeys = verifyAll(keyless);
                double rehash = (System.nanoTime() - t2) / 1e9;
                double rehashCpu = (BenchSupport.cpuNanos() - cpu2) / 1e9;
                for (VerifyReport r : List.of(withKeys, withoutKeys)) {
                    if (r.hasFindings() || r.hasErrors()) {
                        throw new IllegalStateException("encrypted verification did not read cleanly: " + r);
                    }
                }
                if (round == 1) {
                    double mb = bytes / 1e6;
                    rows.add(new String[] {"sha256sum (one hash over the files)", fmt(mb / shaTime[0]), fmt(shaTime[1])
                    });
                    rows.add(new String[] {
                        "rclone check --one-way (hashes both copies)", fmt(mb / rclone[0]), fmt(rclone[1])
                    });
                    rows.add(new String[] {
                        "Vigil archive verification (re-hash + every record + continuity)",
                        fmt(mb / vigil),
                        fmt(vigilCpu)
                    });
                    rows.add(new String[] {
                        "the same, encrypted repository, with the keyring (decrypt + every record)",
                        fmt(mb / decrypting),
                        fmt(decryptingCpu)
                    });
                    rows.add(new String[] {
                        "the same, encrypted repository, without keys (stored bytes re-hashed, as an auditor's machine)",
                        fmt(mb / rehash),
                        fmt(rehashCpu)
                    });
                }
            }
            StringBuilder table = new StringBuilder(String.format(Locale.ROOT, """
                    Archive verification: %d MiB of archived 16 MiB segments in a local-directory repository, page-cached;
                    the baselines read the same segment files (rclone compares them with a copy). Second of two rounds.

                    | method | MB/s | CPU s |
                    |---|---|---|
                    """, mib));
            rows.forEach(r -> table.append("| ").append(String.join(" | ", r)).append(" |\n"));
            return table.toString();
        }
    }

    /** Every archived segment of the partition verified now. */
    private static VerifyReport verifyAll(ObjectStore store) throws IOException {
        return new ArchiveVerifier(
                        new Repository(store),
                        Optional.empty(),
                        new VerifyConfig(Duration.ZERO),
                        Duration.ofDays(1),
                        alert -> {
                            throw new IllegalStateException("finding: " + alert);
                        },
                        Clock.systemUTC(),
                        new SplittableRandom(1))
                .verify(Optional.of(PARTITION), OptionalDouble.empty());
    }

    /** Wall seconds and user+sys CPU seconds of a command (through /usr/bin/time). */
    private static double[] timed(String... command) throws Exception {
        List<String> full = new ArrayList<>(List.of("/usr/bin/time", "-f", "%e %U %S"));
        full.addAll(List.of(command));
        Process process = new ProcessBuilder(full)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + err);
        }
        String[] lines = err.strip().split("\n", -1);
        String[] t = lines[lines.length - 1].trim().split(" ", -1);
        return new double[] {Double.parseDouble(t[0]), Double.parseDouble(t[1]) + Double.parseDouble(t[2])};
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
