package dev.vigil.replay.snapshot;

import dev.vigil.core.Errors;
import dev.vigil.core.PartitionId;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.checksum.Hasher;
import dev.vigil.core.digest.Digest;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.io.DurableFiles;
import dev.vigil.core.io.SafePaths;
import dev.vigil.core.io.ThreadPools;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.RepositoryJson;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.sketch.SketchShape;
import dev.vigil.core.store.ObjectNotFoundException;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.ObjectSummary;
import dev.vigil.replay.ItemRun;
import dev.vigil.replay.ReferenceLocation;
import dev.vigil.replay.ReferenceState;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Reference snapshots in the repository: a partition's items at an LSN as Parquet files sorted by key, plus a
 * {@link SnapshotManifest} written last. Publishing writes the files to a local scratch directory, uploads them,
 * and commits with the manifest ("only if absent": a snapshot at an LSN is written once). Loading downloads the
 * files (in parallel, bounded), checks each against the manifest's size and SHA-256, ingests the items and proves
 * the result against the manifest's digest; any mismatch is a {@link SnapshotException} naming the object.
 * Thread safe.
 */
public final class Snapshots {

    private final Repository repository;
    private final ObjectStore store;
    private final Path scratch;
    private final Clock clock;
    private final int downloadParallelism;
    private final long mergeMemoryBytes;

    /**
     * @param scratch             local directory for files on their way to or from the repository
     * @param downloadParallelism files downloaded at once when loading
     */
    public Snapshots(Repository repository, Path scratch, Clock clock, int downloadParallelism) {
        this(repository, scratch, clock, downloadParallelism, SnapshotMerge.DEFAULT_MEMORY_BYTES);
    }

    /** As {@link #Snapshots(Repository, Path, Clock, int)}, a merge holding {@code mergeMemoryBytes} of changes. */
    public Snapshots(Repository repository, Path scratch, Clock clock, int downloadParallelism, long mergeMemoryBytes) {
        if (downloadParallelism < 1) {
            throw new IllegalArgumentException("download parallelism must be at least 1, was " + downloadParallelism);
        }
        this.repository = repository;
        this.store = repository.store();
        this.scratch = scratch;
        this.clock = clock;
        this.downloadParallelism = downloadParallelism;
        this.mergeMemoryBytes = mergeMemoryBytes;
    }

    /** The local directory for files on their way to or from the repository. */
    public Path scratch() {
        return scratch;
    }

    public Clock clock() {
        return clock;
    }

    /** A committed snapshot: its partition and LSN (the manifest is read on demand). */
    public record SnapshotRef(PartitionId partition, long lsn) {
        public String manifestKey() {
            return RepositoryLayout.snapshotManifestKey(partition, lsn);
        }
    }

    /** The partition's committed snapshots (those with a manifest), oldest first. */
    public List<SnapshotRef> list(PartitionId partition) throws IOException {
        List<SnapshotRef> refs = new ArrayList<>();
        store.forEach(RepositoryLayout.snapshotsPrefix(partition), object -> {
            String key = object.key();
            if (key.endsWith("/" + RepositoryLayout.SNAPSHOT_MANIFEST)) {
                RepositoryLayout.parseSnapshotLsn(partition, key)
                        .filter(lsn -> key.equals(RepositoryLayout.snapshotManifestKey(partition, lsn)))
                        .ifPresent(lsn -> refs.add(new SnapshotRef(partition, lsn)));
            }
        });
        return refs;
    }

    /** Every key under the partition's snapshot prefix, grouped by snapshot LSN (committed or not). */
    public Map<Long, List<ObjectSummary>> objectsByLsn(PartitionId partition) throws IOException {
        return repository.snapshotObjects(partition);
    }

    /** Reads and checks a snapshot's manifest. */
    public SnapshotManifest manifest(SnapshotRef ref) throws IOException {
        String key = ref.manifestKey();
        SnapshotManifest manifest;
        try (ObjectStream in = store.get(key)) {
            manifest = RepositoryJson.MAPPER.readValue(in.readAllBytes(), SnapshotManifest.class);
        } catch (ObjectNotFoundException e) {
            throw new SnapshotException(key, "snapshot manifest " + key + " is missing", e);
        } catch (InterruptedIOException | ClosedByInterruptException e) {
            throw e; // nothing is wrong with the manifest
        } catch (IOException | RuntimeException e) {
            throw new SnapshotException(
                    key, "snapshot manifest " + key + " is unreadable or damaged: " + e.getMessage(), e);
        }
        if (!manifest.partition().equals(ref.partition().value())
                || manifest.lsn() != ref.lsn()
                || manifest.format() != SnapshotManifest.FORMAT) {
            throw new SnapshotException(
                    key,
                    "snapshot manifest " + key + " describes partition " + manifest.partition() + " at LSN "
                            + manifest.lsn() + " (format " + manifest.format() + "), not what its key says",
                    null);
        }
        return manifest;
    }

    /** The newest committed snapshot at or below {@code lsn}. */
    public Optional<SnapshotRef> latestAtOrBelow(PartitionId partition, long lsn) throws IOException {
        return list(partition).stream().filter(r -> r.lsn() <= lsn).reduce((a, b) -> b);
    }

    /**
     * Writes the snapshot of the reference's partition at its LSN, unless one exists at that LSN already: merged from
     * the newest usable snapshot below it and the archive ({@link SnapshotMerge}), published only if its digest equals
     * the reference's.
     *
     * @param walBytes archived WAL bytes up to the reference's LSN, recorded for the snapshot policy
     * @return the manifest of the snapshot at the reference's LSN
     */
    public SnapshotManifest publish(ReferenceState reference, long walBytes) throws IOException {
        return publish(reference.partition(), reference.lsn(), reference.digest(), walBytes, bad -> {});
    }

    /**
     * Writes the snapshot of {@code partition} at {@code lsn}, unless one exists there already: the newest committed
     * snapshot below {@code lsn} (one whose files are missing or damaged is told to {@code badSnapshots} and the next
     * older tried, down to none: the whole archive) merged with the archived WAL since. The result is published only
     * when its digest equals {@code judged}, the digest of the judge's reference at {@code lsn}; otherwise nothing is
     * uploaded and a {@link SnapshotMismatchException} names both digests. The manifest is written last ("only if
     * absent"), so a publish that stops half way leaves files no snapshot lists, which retention removes.
     *
     * @param walBytes archived WAL bytes up to {@code lsn}, recorded for the snapshot policy
     */
    public SnapshotManifest publish(
            PartitionId partition, long lsn, Digest judged, long walBytes, Consumer<SnapshotException> badSnapshots)
            throws IOException {
        return publish(partition, lsn, Judged.of(judged), walBytes, badSnapshots);
    }

    /** As {@link #publish(PartitionId, long, Digest, long, Consumer)}, against a judged state known by its summary. */
    public SnapshotManifest publish(
            PartitionId partition, long lsn, Judged judged, long walBytes, Consumer<SnapshotException> badSnapshots)
            throws IOException {
        return new SnapshotPublisher(this, repository, scratch, clock, mergeMemoryBytes)
                .publish(partition, lsn, judged, walBytes, badSnapshots);
    }

    /**
     * What a snapshot must prove to be published: the judged state's digest algorithm, bucket bits, root and item count
     * (from the judge's reference, or a hash-state checkpoint's manifest).
     */
    public record Judged(DigestAlgorithm algorithm, int bucketBits, String rootHex, long itemCount) {
        public static Judged of(Digest digest) {
            return new Judged(digest.algorithm(), digest.bucketBits(), digest.rootHex(), digest.itemCount());
        }
    }

    boolean exists(String key) throws IOException {
        try {
            store.head(key);
            return true;
        } catch (ObjectNotFoundException e) {
            return false;
        }
    }

    /**
     * Downloads a snapshot's files into {@code directory}, at most {@code downloadParallelism} at a time, each
     * checked against the manifest's size and SHA-256 (and the store's own checksum).
     *
     * @return the local files, in key order
     */
    public List<Path> download(SnapshotManifest manifest, Path directory) throws IOException {
        ExecutorService pool = downloadPool(manifest);
        try {
            List<Path> paths = new ArrayList<>();
            for (Future<Path> download : startDownloads(manifest, directory, pool)) {
                paths.add(awaitDownload(download, manifest));
            }
            return paths;
        } finally {
            pool.shutdownNow();
        }
    }

    private ExecutorService downloadPool(SnapshotManifest manifest) {
        AtomicInteger threads = new AtomicInteger();
        return Executors.newFixedThreadPool(
                Math.min(downloadParallelism, Math.max(1, manifest.files().size())),
                r -> new Thread(r, "vigil-snapshot-download-" + threads.incrementAndGet()));
    }

    /** Starts downloading every file of the snapshot into {@code directory}, in key order, on {@code pool}. */
    private List<Future<Path>> startDownloads(SnapshotManifest manifest, Path directory, ExecutorService pool)
            throws IOException {
        Files.createDirectories(directory);
        List<Future<Path>> downloads = new ArrayList<>();
        for (SnapshotManifest.SnapshotFile file : manifest.files()) {
            downloads.add(pool.submit(() -> downloadFile(manifest, file, directory)));
        }
        return downloads;
    }

    /** The downloaded and checked file, or the download's failure as the {@link IOException} it was. */
    private static Path awaitDownload(Future<Path> download, SnapshotManifest manifest) throws IOException {
        try {
            return download.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while downloading the snapshot of " + manifest.partition());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        }
    }

    private Path downloadFile(SnapshotManifest manifest, SnapshotManifest.SnapshotFile file, Path directory)
            throws IOException {
        String key = RepositoryLayout.snapshotPrefix(manifest.partitionId(), manifest.lsn()) + file.name();
        Path target;
        String manifestKey = RepositoryLayout.snapshotManifestKey(manifest.partitionId(), manifest.lsn());
        try {
            target = SafePaths.resolveWithin(directory, file.name(), manifestKey);
        } catch (SecurityException e) {
            // The manifest is what is wrong: the name it lists is not an object Vigil ever writes.
            throw new SnapshotException(manifestKey, Errors.message(e), e);
        }
        Hasher hasher = ChecksumAlgorithm.SHA256.newHasher();
        long size = 0;
        try (ObjectStream in = store.get(key);
                OutputStream out = Files.newOutputStream(target)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                hasher.update(buffer, 0, n);
                out.write(buffer, 0, n);
                size += n;
            }
        } catch (ObjectNotFoundException e) {
            throw new SnapshotException(key, "snapshot file " + key + " is missing (its manifest lists it)", e);
        } catch (IOException e) {
            throw new SnapshotException(
                    key, "snapshot file " + key + " is unreadable or damaged: " + e.getMessage(), e);
        }
        String sha = hasher.finish().hex();
        if (size != file.size() || !sha.equals(file.sha256())) {
            throw new SnapshotException(
                    key,
                    "snapshot file " + key + " is not the file its manifest describes: " + size + " bytes with SHA-256 "
                            + sha + ", expected " + file.size() + " bytes with SHA-256 " + file.sha256(),
                    null);
        }
        return target;
    }

    /**
     * Loads a snapshot as the partition's reference under {@code workDir}, replacing any reference there, and
     * proves it: the loaded state's digest must equal the manifest's.
     */
    public ReferenceState load(SnapshotManifest manifest, Path workDir, DigestAlgorithm algorithm, int bucketBits)
            throws IOException {
        return load(manifest, workDir, algorithm, bucketBits, Optional.empty());
    }

    /**
     * As {@link #load(SnapshotManifest, Path, DigestAlgorithm, int)}, also building a difference sketch of {@code sketch}
     * from the snapshot's items while they load (a snapshot carries its items, from which the sketch follows exactly).
     */
    public ReferenceState load(
            SnapshotManifest manifest,
            Path workDir,
            DigestAlgorithm algorithm,
            int bucketBits,
            Optional<SketchShape> sketch)
            throws IOException {
        return load(manifest, ReferenceLocation.work(workDir, manifest.partitionId()), algorithm, bucketBits, sketch);
    }

    /**
     * As {@link #load(SnapshotManifest, Path, DigestAlgorithm, int, Optional)}, into the database at {@code location}
     * (a restore loads the snapshot straight into its output).
     */
    public ReferenceState load(
            SnapshotManifest manifest,
            ReferenceLocation location,
            DigestAlgorithm algorithm,
            int bucketBits,
            Optional<SketchShape> sketch)
            throws IOException {
        PartitionId partition = manifest.partitionId();
        String key = RepositoryLayout.snapshotManifestKey(partition, manifest.lsn());
        if (!manifest.digest().algorithm().equals(algorithm.name())
                || manifest.digest().bucketBits() != bucketBits) {
            throw new SnapshotException(
                    key,
                    "snapshot " + key + " has a " + manifest.digest().algorithm() + " digest with "
                            + manifest.digest().bucketBits() + " bucket bits; this configuration uses " + algorithm
                            + " with "
                            + bucketBits,
                    null);
        }
        Path directory = scratch.resolve("load-" + partition + "-" + manifest.lsn());
        DurableFiles.deleteRecursively(directory);
        ExecutorService downloads = downloadPool(manifest);
        try {
            ReferenceState state;
            // Each part holds a key range after the one before it: parts load in parallel, each into its own SST
            // files, each as soon as its own download is complete and checked.
            List<ItemRun> runs = startDownloads(manifest, directory, downloads).stream()
                    .<ItemRun>map(download -> () -> ParquetItems.read(awaitDownload(download, manifest)))
                    .toList();
            Runtime runtime = Runtime.getRuntime();
            int threads = loadThreads(downloadParallelism, runtime.availableProcessors(), runtime.maxMemory());
            try {
                state = ReferenceState.load(
                        location, partition, algorithm, bucketBits, manifest.lsn(), runs, sketch, threads);
            } catch (InterruptedIOException | ClosedByInterruptException e) {
                location.discard();
                throw e; // the load was interrupted: nothing is wrong with the snapshot
            } catch (SnapshotException e) {
                location.discard();
                throw e; // a file that is missing or not what the manifest says, named by its own key
            } catch (UncheckedIOException e) {
                location.discard();
                IOException cause = e.getCause();
                throw new SnapshotException(
                        key, "snapshot " + key + ": " + Errors.message(cause == null ? e : cause), cause);
            } catch (IOException e) {
                location.discard();
                throw new SnapshotException(key, "snapshot " + key + ": " + e.getMessage(), e);
            }
            Digest loaded = state.digest();
            if (!loaded.rootHex().equals(manifest.digest().root()) || loaded.itemCount() != manifest.items()) {
                state.close();
                location.discard();
                throw new SnapshotException(
                        key,
                        "snapshot " + key + " does not prove out: its files hold "
                                + loaded.itemCount() + " items with digest root " + loaded.rootHex()
                                + ", the manifest says "
                                + manifest.items() + " items with root "
                                + manifest.digest().root(),
                        null);
            }
            return state;
        } finally {
            downloads.shutdownNow();
            ThreadPools.awaitTermination(downloads); // none may still write into the directory deleted next
            DurableFiles.deleteRecursively(directory);
        }
    }

    /**
     * Parts loaded at once: at most one per core and no more than the downloads in flight, and each part's reader holds
     * a row group ({@link ParquetItems#ROW_GROUP_BYTES}, 64 MiB) and its pages, so one part per 256 MiB of heap: a daemon
     * in the image ({@code -Xmx256m}, with a drill beside the judge) loads one part at a time.
     */
    static int loadThreads(int parallelism, int cores, long maxHeap) {
        long byHeap = maxHeap / (4L * ParquetItems.ROW_GROUP_BYTES);
        return (int) Math.max(1, Math.min(Math.min(parallelism, cores), byHeap));
    }
}
