package dev.vigil.bench;

import dev.vigil.core.PartitionId;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.node.StorageNodeContract;
import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.PutRequest;
import dev.vigil.core.store.S3Settings;
import dev.vigil.core.wal.SegmentReader;
import dev.vigil.encryption.EncryptingObjectStore;
import dev.vigil.encryption.Keyring;
import dev.vigil.encryption.KeyringKeys;
import dev.vigil.replay.ReferenceBuilder;
import dev.vigil.replay.ReferenceState;
import dev.vigil.replay.snapshot.SnapshotManifest;
import dev.vigil.replay.snapshot.Snapshots;
import dev.vigil.restore.RestoreFormat;
import dev.vigil.restore.RestoreProgress;
import dev.vigil.restore.RestoreRequest;
import dev.vigil.restore.RestoreResult;
import dev.vigil.restore.RestoreTarget;
import dev.vigil.restore.Restorer;
import dev.vigil.store.s3.S3Stores;
import dev.vigil.testkit.s3.S3Server;
import dev.vigil.testkit.s3.S3Servers;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Restore of a partition of at least 1 GiB (a snapshot at 90% of its history, or at {@code --snapshot-at}, plus the
 * archived WAL after it) from S3Proxy on loopback, against a raw parallel download of the same objects in the same run.
 * Run through {@code bench/run-restore}.
 */
public final class RestoreBenchmark {

    private static final PartitionId PARTITION = ArchiveBenchmark.PARTITION;

    private RestoreBenchmark() {}

    public static void main(String[] args) throws Exception {
        long totalMib = Long.parseLong(BenchSupport.option(args, "--total-mib", "1024"));
        boolean encrypted = "yes".equals(BenchSupport.option(args, "--encrypted", "no"));
        // Where the newest snapshot lies, as a share of the history's segments: 0.9 by default; a snapshot every few
        // segments (cheap now that snapshots are merged) puts it nearer the end.
        double snapshotShare = Double.parseDouble(BenchSupport.option(args, "--snapshot-at", "0.9"));
        Path base = BenchSupport.scratch("vigil-restore-bench");
        try (S3Server server = S3Servers.startS3ProxyOnDisk();
                S3Client s3 = S3Client.builder()
                        .endpointOverride(server.endpoint())
                        .region(Region.of(server.region()))
                        .credentialsProvider(server.credentials())
                        .forcePathStyle(true)
                        .build()) {
            s3.createBucket(b -> b.bucket("restore"));
            S3Settings settings = S3Settings.defaults("restore", "vigil").withEndpoint(server.endpoint(), true);
            try (ObjectStore s3Store = S3Stores.open(settings, server.credentials(), Clock.systemUTC())) {
                // With --encrypted yes, everything is stored encrypted and the restore decrypts it; the baseline
                // downloads the same stored (encrypted) objects.
                SecureRandom random = new SecureRandom();
                ObjectStore store = encrypted
                        ? new EncryptingObjectStore(
                                s3Store,
                                new KeyringKeys(
                                        Keyring.create("bench", Instant.now(), random),
                                        base.resolve("keyring.json"),
                                        random),
                                "bench",
                                base.resolve("encrypting"))
                        : s3Store;
                System.out.println(encrypted ? "encrypted repository (keyring)" : "plaintext repository");
                Path root = ArchiveBenchmark.generate(base.resolve("node"), totalMib, 16);
                List<Path> files;
                try (Stream<Path> listing = Files.list(StorageNodeContract.walDir(root, PARTITION))) {
                    files = listing.filter(p -> p.toString().endsWith(".seg"))
                            .sorted()
                            .toList();
                }
                for (Path file : files) {
                    var summary = SegmentReader.validate(file);
                    store.put(PutRequest.ifAbsent(
                            RepositoryLayout.walKey(PARTITION, summary.lsnRange()),
                            ObjectBody.ofFile(file),
                            summary.checksum(),
                            Map.of()));
                }
                BenchSupport.delete(root);
                List<ArchivedSegment> segments =
                        new Repository(store).archive(PARTITION).segments();
                long last = segments.getLast().range().last();
                long snapshotAt = segments.get((int) (segments.size() * snapshotShare) - 1)
                        .range()
                        .last();
                Snapshots snapshots =
                        new Snapshots(new Repository(store), base.resolve("scratch"), Clock.systemUTC(), 4);
                ReferenceBuilder builder =
                        new ReferenceBuilder(new Repository(store), Optional.of(snapshots), 0, e -> {});
                SnapshotManifest manifest;
                try (ReferenceState reference =
                        ReferenceState.open(base.resolve("build"), PARTITION, DigestAlgorithm.XXH128, 12)) {
                    builder.advance(reference, snapshotAt, new TreeSet<>(), (l, s) -> {});
                    manifest = builder.snapshot(reference);
                }
                BenchSupport.delete(base.resolve("build"));
                List<String> keys = new ArrayList<>();
                manifest.files()
                        .forEach(f ->
                                keys.add("vigil/" + RepositoryLayout.snapshotPrefix(PARTITION, snapshotAt) + f.name()));
                segments.stream().filter(s -> s.range().last() > snapshotAt).forEach(s -> keys.add("vigil/" + s.key()));

                for (int round = 0; round < 2; round++) {
                    long t0 = System.nanoTime();
                    long bytes = rawDownload(s3, keys, Optional.empty());
                    double raw = (System.nanoTime() - t0) / 1e9;
                    Path copies = Files.createDirectories(base.resolve("copies-" + round));
                    long t1 = System.nanoTime();
                    rawDownload(s3, keys, Optional.of(copies));
                    double rawToDisk = (System.nanoTime() - t1) / 1e9;
                    BenchSupport.delete(copies);

                    Restorer restorer = new Restorer(
                            new Repository(store),
                            snapshots,
                            base.resolve("work"),
                            DigestAlgorithm.XXH128,
                            12,
                            bad -> {
                                throw new IllegalStateException(
                                        "the benchmark's snapshot is bad: " + bad.getMessage(), bad);
                            },
                            Clock.systemUTC(),
                            new SplittableRandom(round));
                    long[] firstReplay = {0};
                    long cpu0 = BenchSupport.cpuNanos();
                    long start = System.nanoTime();
                    List<String> phases = new ArrayList<>();
                    RestoreResult result = restorer.restore(
                            new RestoreRequest(
                                    PARTITION,
                                    new RestoreTarget.ToLsn(last),
                                    base.resolve("restored-" + round),
                                    RestoreFormat.ROCKSDB,
                                    false),
                            new RestoreProgress() {
                                @Override
                                public void phase(String description) {
                                    phases.add(String.format(
                                            Locale.ROOT,
                                            "%6.2f s  %s",
                                            (System.nanoTime() - start) / 1e9,
                                            description));
                                }

                                @Override
                                public void replayed(long from, long to, long lsn, long read) {
                                    if (firstReplay[0] == 0) {
                                        firstReplay[0] = System.nanoTime();
                                    }
                                }
                            });
                    double restore = (System.nanoTime() - start) / 1e9;
                    double cpu = (BenchSupport.cpuNanos() - cpu0) / 1e9;
                    if (!result.verified()) {
                        throw new IllegalStateException("restore not verified: " + result.checks());
                    }
                    if (round == 1) {
                        System.out.println();
                        System.out.println("Phases of the restore (seconds from its start):");
                        phases.forEach(p -> System.out.println("  " + p));
                        System.out.printf(Locale.ROOT, "%6.2f s  done%n", restore);
                        System.out.println();
                        System.out.printf(
                                Locale.ROOT,
                                "Restore of %,d MiB of history (%,d items of 4 KiB values) to LSN %,d:"
                                        + " snapshot at LSN %,d (%d Parquet file(s)) + %d segment(s) of WAL; S3Proxy (filesystem)"
                                        + " on loopback, %d cores.%n%n",
                                totalMib,
                                result.items(),
                                last,
                                snapshotAt,
                                manifest.files().size(),
                                keys.size() - manifest.files().size(),
                                Runtime.getRuntime().availableProcessors());
                        System.out.println(
                                "| objects | raw parallel download (4 streams): MB/s | the same download written to"
                                        + " files and forced to disk: MB/s | Vigil restore (download, verify, ingest,"
                                        + " replay, write RocksDB, read back, digest): MB/s | restore / raw |"
                                        + " restore / download to disk | time to the first replayed record | CPU s |");
                        System.out.println("|---|---|---|---|---|---|---|---|");
                        System.out.printf(
                                Locale.ROOT,
                                "| %.0f MB | %.0f | %.0f | %.0f | %.2f× | %.2f× | %.1f s | %.1f |%n",
                                bytes / 1e6,
                                bytes / 1e6 / raw,
                                bytes / 1e6 / rawToDisk,
                                bytes / 1e6 / restore,
                                raw / restore,
                                rawToDisk / restore,
                                (firstReplay[0] - start) / 1e9,
                                cpu);
                    }
                    BenchSupport.delete(base.resolve("restored-" + round));
                }
            }
        } finally {
            BenchSupport.delete(base);
        }
    }

    /**
     * Downloads every object with 4 parallel streams; with {@code into}, each is written to a file there and forced
     * to disk (what any restore must do at least), else the bytes are dropped.
     */
    private static long rawDownload(S3Client s3, List<String> keys, Optional<Path> into) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Long>> downloads = new ArrayList<>();
            for (String key : keys) {
                downloads.add(pool.submit(() -> {
                    long n = 0;
                    byte[] buffer = new byte[1 << 16];
                    try (InputStream in = s3.getObject(g -> g.bucket("restore").key(key))) {
                        if (into.isPresent()) {
                            Path file = into.get().resolve(key.replace('/', '_'));
                            try (FileChannel out =
                                    FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                                for (int r; (r = in.read(buffer)) > 0; ) {
                                    out.write(ByteBuffer.wrap(buffer, 0, r));
                                    n += r;
                                }
                                out.force(true);
                            }
                        } else {
                            for (int r; (r = in.read(buffer)) > 0; ) {
                                n += r;
                            }
                        }
                    }
                    return n;
                }));
            }
            long total = 0;
            for (Future<Long> download : downloads) {
                total += download.get();
            }
            return total;
        } finally {
            pool.shutdownNow();
        }
    }
}
