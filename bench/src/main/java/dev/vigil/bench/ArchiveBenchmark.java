package dev.vigil.bench;

import dev.vigil.archiver.ArchiveReport;
import dev.vigil.archiver.Archiver;
import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.config.ArchiveConfig;
import dev.vigil.core.config.NodeConfig;
import dev.vigil.core.node.ArchivedLsnFile;
import dev.vigil.core.node.StorageNodeContract;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.S3Settings;
import dev.vigil.core.wal.FsyncPolicy;
import dev.vigil.core.wal.Op;
import dev.vigil.core.wal.SealedSegment;
import dev.vigil.core.wal.SegmentWriter;
import dev.vigil.core.wal.WalFormat;
import dev.vigil.core.wal.WalRecord;
import dev.vigil.store.s3.S3Stores;
import dev.vigil.testkit.s3.S3Server;
import dev.vigil.testkit.s3.S3ServerKind;
import dev.vigil.testkit.s3.S3Servers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * End-to-end archive benchmark: the same directory of sealed segments shipped to the same S3 endpoint by
 * (a) plain AWS SDK PUTs with the same concurrency, (b) {@code aws s3 sync}, (c) Vigil's archiver, each into
 * a fresh bucket, in one run; then the seal-to-verified latency under a steady write load with the daemon's
 * one-second schedule. Prints Markdown for {@code docs/performance.md}. Run through {@code bench/run-archive}.
 */
public final class ArchiveBenchmark {

    static final PartitionId PARTITION = PartitionId.of("bench-0001");
    private static final ReplicaId REPLICA = ReplicaId.of("bench-node");

    private record Result(String method, long bytes, double seconds, double cpuSeconds) {
        double mibPerSecond() {
            return bytes / 1048576.0 / seconds;
        }

        double cpuPerGib() {
            return cpuSeconds / (bytes / 1073741824.0);
        }
    }

    private ArchiveBenchmark() {}

    public static void main(String[] args) throws Exception {
        long totalMib = Long.parseLong(BenchSupport.option(args, "--total-mib", "1024"));
        int concurrency = Integer.parseInt(BenchSupport.option(args, "--concurrency", "4"));
        String serverName = BenchSupport.option(args, "--server", "s3proxy");
        boolean encrypted = BenchSupport.option(args, "--encrypted", "no").equals("yes");
        boolean audited = BenchSupport.option(args, "--audited", "no").equals("yes");
        // awscli's multipart uploads (CRC32 per part) fail against S3Mock's CompleteMultipartUpload: no sync baseline.
        Optional<String> aws =
                serverName.equals("s3mock") ? Optional.empty() : findAws(BenchSupport.option(args, "--aws", ""));
        System.err.println(
                aws.map(a -> "aws s3 sync baseline: " + a).orElse("no awscli found: no aws s3 sync baseline"));
        Path base = BenchSupport.scratch("vigil-archive-bench");
        StringBuilder report = new StringBuilder();
        try (S3Server server = switch (serverName) {
            case "s3proxy" -> S3Servers.startS3ProxyOnDisk();
            case "s3mock" -> S3Servers.start(S3ServerKind.S3MOCK);
            default -> throw new IllegalArgumentException("--server is s3proxy or s3mock, not " + serverName);
        }) {
            System.err.println("S3 server: " + server.kind() + " at " + server.endpoint());
            Path warm = generate(base.resolve("warmup"), 64, 1);
            rawPuts(server, warm, concurrency, "warmup-raw");
            vigil(server, warm, concurrency, "warmup-vigil", Mode.PLAIN);
            if (encrypted) {
                // The JIT compiles AES-GCM's intrinsics only after a few hundred MiB (80 MiB/s before, over 3 GiB/s
                // after, measured on this machine): warm the cipher with 8 passes of the warm-up segments.
                for (int pass = 0; pass < 8; pass++) {
                    vigil(server, warm, concurrency, "warmup-vigil-encrypted-" + pass, Mode.ENCRYPTED);
                }
            }
            if (audited) {
                // SHA-256 too runs interpreted until the JIT compiles its intrinsics: warm it the same way.
                for (int pass = 0; pass < 8; pass++) {
                    vigil(server, warm, concurrency, "warmup-vigil-logged-" + pass, Mode.LOGGED);
                }
            }

            report.append(
                    "| segment size | method | MiB/s | CPU s per GiB (client) | Vigil / method |\n|---|---|---|---|---|\n");
            for (int segmentMib : new int[] {16, 1}) {
                Path root = generate(base.resolve("node-" + segmentMib), totalMib, segmentMib);
                List<Result> results = new ArrayList<>();
                results.add(rawPuts(server, root, concurrency, "raw-" + segmentMib));
                Result vigil = vigil(server, root, concurrency, "vigil-" + segmentMib, Mode.PLAIN);
                results.add(vigil);
                if (encrypted) {
                    results.add(vigil(server, root, concurrency, "vigil-encrypted-" + segmentMib, Mode.ENCRYPTED));
                }
                if (audited) {
                    results.add(vigil(server, root, concurrency, "vigil-logged-" + segmentMib, Mode.LOGGED));
                }
                if (aws.isPresent()) {
                    results.add(awsSync(server, root, aws.get(), "aws-" + segmentMib));
                }
                for (Result r : results) {
                    report.append(String.format(
                            Locale.ROOT,
                            "| %d MiB | %s | %.0f | %.2f | %s |%n",
                            segmentMib,
                            r.method(),
                            r.mibPerSecond(),
                            r.cpuPerGib(),
                            r.equals(vigil)
                                    ? "—"
                                    : String.format(
                                            Locale.ROOT,
                                            "%.2f× throughput, %.2f× CPU",
                                            vigil.mibPerSecond() / r.mibPerSecond(),
                                            vigil.cpuPerGib() / r.cpuPerGib())));
                }
                BenchSupport.delete(root);
            }
            report.append('\n').append(latency(server, base.resolve("latency")));
        } finally {
            BenchSupport.delete(base);
        }
        System.out.println();
        System.out.println("Archive throughput: " + totalMib + " MiB of sealed segments, concurrency " + concurrency
                + (serverName.equals("s3mock") ? ", S3Mock" : ", S3Proxy (filesystem backend)") + " on loopback, "
                + Runtime.getRuntime().availableProcessors() + " cores");
        System.out.println();
        System.out.print(report);
    }

    /** A node root holding {@code totalMib} of sealed segments of {@code segmentMib} each (4 KiB values). */
    static Path generate(Path root, long totalMib, int segmentMib) throws IOException {
        Path wal = Files.createDirectories(StorageNodeContract.walDir(root, PARTITION));
        SplittableRandom random = new SplittableRandom(segmentMib);
        int valueSize = 4096;
        int perSegment = (int) ((segmentMib * 1048576L) / WalFormat.frameLength(Op.PUT, 12, valueSize));
        long segments = totalMib / segmentMib;
        long lsn = 1;
        byte[] value = new byte[valueSize];
        for (long s = 0; s < segments; s++) {
            try (SegmentWriter writer =
                    SegmentWriter.create(wal, PARTITION, lsn, Clock.systemUTC(), FsyncPolicy.ON_SYNC)) {
                for (int r = 0; r < perSegment; r++) {
                    random.nextBytes(value);
                    writer.append(WalRecord.put(
                            lsn++, 1_700_000_000_000L, ("key-" + lsn).getBytes(StandardCharsets.UTF_8), value.clone()));
                }
                writer.seal();
            }
        }
        return root;
    }

    private static List<Path> segmentFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.list(StorageNodeContract.walDir(root, PARTITION))) {
            return files.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
    }

    private static S3Client client(S3Server server) {
        return S3Client.builder()
                .endpointOverride(server.endpoint())
                .region(Region.of(server.region()))
                .credentialsProvider(server.credentials())
                .forcePathStyle(true)
                .build();
    }

    private static Result rawPuts(S3Server server, Path root, int concurrency, String bucket) throws Exception {
        List<Path> files = segmentFiles(root);
        try (S3Client s3 = client(server)) {
            s3.createBucket(b -> b.bucket(bucket));
            ExecutorService pool = Executors.newFixedThreadPool(
                    concurrency, Thread.ofPlatform().name("bench-raw-", 0).factory());
            long bytes = 0;
            for (Path file : files) {
                bytes += Files.size(file);
            }
            long cpu0 = BenchSupport.cpuNanos();
            long t0 = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (Path file : files) {
                futures.add(pool.submit(() -> s3.putObject(
                        p -> p.bucket(bucket).key("raw/" + file.getFileName()), RequestBody.fromFile(file))));
            }
            for (Future<?> future : futures) {
                future.get();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpu = (BenchSupport.cpuNanos() - cpu0) / 1e9;
            pool.shutdown();
            return new Result("raw SDK PUT", bytes, seconds, cpu);
        }
    }

    private static Result vigil(S3Server server, Path root, int concurrency, String bucket, Mode mode)
            throws Exception {
        try (S3Client s3 = client(server)) {
            s3.createBucket(b -> b.bucket(bucket));
        }
        S3Settings settings = S3Settings.defaults(bucket, "vigil").withEndpoint(server.endpoint(), true);
        ArchiveConfig config = new ArchiveConfig(
                concurrency,
                Duration.ofMinutes(5),
                Duration.ofMinutes(15),
                Duration.ofSeconds(1),
                Duration.ofSeconds(10),
                Duration.ofHours(1),
                Duration.ofMinutes(1));
        Files.deleteIfExists(ArchivedLsnFile.in(StorageNodeContract.walDir(root, PARTITION)));
        ObjectStore plain = S3Stores.open(settings, server.credentials(), Clock.systemUTC());
        try (ObjectStore store = mode.open(plain, root.resolveSibling(bucket + "-local"));
                Archiver archiver = new Archiver(
                        new Repository(store),
                        new NodeConfig(REPLICA, List.of(root)),
                        config,
                        alert -> System.err.println("ALERT " + alert),
                        new SimpleMeterRegistry(),
                        Clock.systemUTC(),
                        new SplittableRandom(1))) {
            long cpu0 = BenchSupport.cpuNanos();
            long t0 = System.nanoTime();
            ArchiveReport report = archiver.runPass();
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpu = (BenchSupport.cpuNanos() - cpu0) / 1e9;
            if (report.hasErrors() || report.hasFindings()) {
                throw new IllegalStateException("the benchmark's archive pass failed: " + report);
            }
            long bytes = report.partitions().getFirst().bytesUploaded();
            return new Result(mode.label(), bytes, seconds, cpu);
        }
    }

    private static Result awsSync(S3Server server, Path root, String aws, String bucket) throws Exception {
        try (S3Client s3 = client(server)) {
            s3.createBucket(b -> b.bucket(bucket));
        }
        long bytes = 0;
        for (Path file : segmentFiles(root)) {
            bytes += Files.size(file);
        }
        var credentials = server.credentials().resolveCredentials();
        ProcessBuilder builder = new ProcessBuilder(
                "/usr/bin/time",
                "-f",
                "%e %U %S",
                aws,
                "--endpoint-url",
                server.endpoint().toString(),
                "s3",
                "sync",
                "--only-show-errors",
                "--no-progress",
                "--exclude",
                "*",
                "--include",
                "*.seg",
                StorageNodeContract.walDir(root, PARTITION).toString(),
                "s3://" + bucket + "/aws/");
        builder.environment()
                .putAll(Map.of(
                        "AWS_ACCESS_KEY_ID",
                        credentials.accessKeyId(),
                        "AWS_SECRET_ACCESS_KEY",
                        credentials.secretAccessKey(),
                        "AWS_DEFAULT_REGION",
                        server.region(),
                        "AWS_EC2_METADATA_DISABLED",
                        "true"));
        builder.redirectErrorStream(true);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("aws s3 sync failed: " + output);
        }
        String[] lines = output.strip().split("\n", -1);
        String[] times = lines[lines.length - 1].trim().split(" ", -1);
        return new Result(
                "aws s3 sync (awscli " + awsVersion(aws) + ", " + aws + ")",
                bytes,
                Double.parseDouble(times[0]),
                Double.parseDouble(times[1]) + Double.parseDouble(times[2]));
    }

    /**
     * The awscli to compare with: {@code --aws PATH} when given, else the first {@code aws} on the PATH (pip's, pyenv's
     * or Debian's), else none.
     */
    private static Optional<String> findAws(String given) {
        if (!given.isEmpty()) {
            if (!Files.isExecutable(Path.of(given))) {
                throw new IllegalArgumentException("--aws " + given + " is not an executable file");
            }
            return Optional.of(given);
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String directory : path.split(File.pathSeparator, -1)) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, "aws"))) {
                return Optional.of(Path.of(directory, "aws").toString());
            }
        }
        return Optional.empty();
    }

    private static String awsVersion(String aws) throws Exception {
        Process process =
                new ProcessBuilder(aws, "--version").redirectErrorStream(true).start();
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        process.waitFor();
        return text.split(" ", -1)[0].replace("aws-cli/", "");
    }

    /**
     * A node seals a 1 MiB segment every 100 ms for 20 s; passes run as in the daemon: on its one-second schedule,
     * and at once when the file system reports a sealed segment. Latency: from the seal until archived.lsn covers
     * the segment (uploaded, confirmed, recorded).
     */
    private static String latency(S3Server server, Path root) throws Exception {
        String bucket = "latency";
        try (S3Client s3 = client(server)) {
            s3.createBucket(b -> b.bucket(bucket));
        }
        Path wal = Files.createDirectories(StorageNodeContract.walDir(root, PARTITION));
        Map<Long, Instant> sealedAt = new TreeMap<>();
        List<Double> latencies = new ArrayList<>();
        S3Settings settings = S3Settings.defaults(bucket, "vigil").withEndpoint(server.endpoint(), true);
        try (ObjectStore store = S3Stores.open(settings, server.credentials(), Clock.systemUTC());
                Archiver archiver = new Archiver(
                        new Repository(store),
                        new NodeConfig(REPLICA, List.of(root)),
                        ArchiveConfig.defaults(),
                        alert -> System.err.println("ALERT " + alert),
                        new SimpleMeterRegistry(),
                        Clock.systemUTC(),
                        new SplittableRandom(1))) {
            Thread writer = Thread.ofPlatform().name("bench-node-writer").start(() -> {
                try {
                    long lsn = 1;
                    byte[] value = new byte[4096];
                    for (int s = 0; s < 200; s++) {
                        long started = System.nanoTime();
                        try (SegmentWriter w =
                                SegmentWriter.create(wal, PARTITION, lsn, Clock.systemUTC(), FsyncPolicy.ON_SYNC)) {
                            for (int r = 0; r < 250; r++) {
                                w.append(WalRecord.put(
                                        lsn++,
                                        System.currentTimeMillis(),
                                        ("k" + r).getBytes(StandardCharsets.UTF_8),
                                        value));
                            }
                            SealedSegment segment = w.seal();
                            synchronized (sealedAt) {
                                sealedAt.put(segment.summary().lastLsn(), Instant.now());
                            }
                        }
                        Thread.sleep(Math.max(0, 100 - (System.nanoTime() - started) / 1_000_000));
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Semaphore sealed = new Semaphore(0);
            archiver.watch(sealed::release);
            long nextTick = System.currentTimeMillis() / 1000 * 1000 + 1000;
            while (writer.isAlive() || !allCovered(sealedAt)) {
                boolean woken =
                        sealed.tryAcquire(Math.max(0, nextTick - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
                if (!woken) {
                    nextTick += 1000;
                }
                sealed.drainPermits();
                archiver.runPass();
                OptionalLong archived = ArchivedLsnFile.read(wal);
                Instant now = Instant.now();
                synchronized (sealedAt) {
                    for (var it = sealedAt.entrySet().iterator(); it.hasNext(); ) {
                        var entry = it.next();
                        if (archived.isPresent() && entry.getKey() <= archived.getAsLong()) {
                            latencies.add(
                                    Duration.between(entry.getValue(), now).toNanos() / 1e9);
                            it.remove();
                        }
                    }
                }
            }
        }
        latencies.sort(Comparator.naturalOrder());
        return String.format(
                Locale.ROOT,
                "Seal → verified in the repository and recorded in archived.lsn, 1 MiB segments"
                        + " sealed every 100 ms for 20 s, passes as in the daemon (every second, and at once on a seal):"
                        + " p50 %.2f s, p99 %.2f s, max %.2f s"
                        + " (%d segments)%n",
                percentile(latencies, 0.50),
                percentile(latencies, 0.99),
                latencies.getLast(),
                latencies.size());
    }

    private static boolean allCovered(Map<Long, Instant> pending) {
        synchronized (pending) {
            return pending.isEmpty();
        }
    }

    private static double percentile(List<Double> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }
}
