package dev.vigil.replay.snapshot;

import dev.vigil.core.PartitionId;
import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.digest.Digest;
import dev.vigil.core.io.DurableFiles;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.RepositoryJson;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.PreconditionFailedException;
import dev.vigil.core.store.PutRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a snapshot merged from the previous one and the archive ({@link Snapshots#publish(PartitionId, long,
 * Judged, long, Consumer)}): merges in a scratch directory, compares the digest with the judged one, uploads the parts
 * and writes the manifest last. One per publish; not thread safe.
 */
final class SnapshotPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotPublisher.class);

    private final Snapshots snapshots;
    private final Repository repository;
    private final ObjectStore store;
    private final Path scratch;
    private final Clock clock;
    private final long mergeMemoryBytes;

    SnapshotPublisher(Snapshots snapshots, Repository repository, Path scratch, Clock clock, long mergeMemoryBytes) {
        this.snapshots = snapshots;
        this.repository = repository;
        this.store = repository.store();
        this.scratch = scratch;
        this.clock = clock;
        this.mergeMemoryBytes = mergeMemoryBytes;
    }

    SnapshotManifest publish(
            PartitionId partition,
            long lsn,
            Snapshots.Judged judged,
            long walBytes,
            Consumer<SnapshotException> badSnapshots)
            throws IOException {
        Snapshots.SnapshotRef ref = new Snapshots.SnapshotRef(partition, lsn);
        if (snapshots.exists(ref.manifestKey())) {
            return snapshots.manifest(ref);
        }
        Path directory = scratch.resolve("snapshot-" + partition + "-" + lsn);
        DurableFiles.deleteRecursively(directory);
        Files.createDirectories(directory);
        try {
            SnapshotMerge.Merged merged = merge(partition, lsn, judged, directory, badSnapshots);
            Digest digest = merged.digest();
            if (!digest.rootHex().equals(judged.rootHex()) || digest.itemCount() != judged.itemCount()) {
                throw new SnapshotMismatchException(
                        ref.manifestKey(),
                        "the snapshot of " + partition + " at LSN " + lsn + " merged from "
                                + (merged.baseLsn() > 0
                                        ? "the snapshot at LSN " + merged.baseLsn()
                                        : "no snapshot (the archive from LSN 1)")
                                + " and the archive holds " + digest.itemCount() + " items with digest root "
                                + digest.rootHex() + ", but the judged reference at LSN " + lsn + " holds "
                                + judged.itemCount() + " items with root " + judged.rootHex()
                                + "; it was not published");
            }
            List<SnapshotManifest.SnapshotFile> files = new ArrayList<>();
            long items = 0;
            for (ParquetItems.Part part : merged.parts()) {
                Path path = part.path();
                Checksum sha = Checksum.of(ChecksumAlgorithm.SHA256, path);
                items += part.rows();
                String key = RepositoryLayout.snapshotPrefix(partition, lsn) + path.getFileName();
                store.put(PutRequest.overwrite(key, ObjectBody.ofFile(path), sha, Map.of()));
                files.add(new SnapshotManifest.SnapshotFile(
                        path.getFileName().toString(), Files.size(path), sha.hex(), part.rows()));
            }
            SnapshotManifest manifest = new SnapshotManifest(
                    SnapshotManifest.FORMAT,
                    partition.value(),
                    lsn,
                    items,
                    new SnapshotManifest.DigestSummary(
                            digest.algorithm().name(), digest.bucketBits(), digest.rootHex()),
                    walBytes,
                    files,
                    clock.instant().toString());
            byte[] body = RepositoryJson.PRETTY.writeValueAsBytes(manifest);
            try {
                store.put(PutRequest.ifAbsent(
                        ref.manifestKey(),
                        ObjectBody.ofBytes(body),
                        Checksum.of(ChecksumAlgorithm.SHA256, body),
                        Map.of()));
            } catch (PreconditionFailedException raced) {
                return snapshots.manifest(ref);
            }
            LOG.info(
                    "snapshot of {} at LSN {}: {} items in {} file(s), merged from the snapshot at LSN {} and {} WAL"
                            + " records ({} bytes read, {} spilled)",
                    partition,
                    lsn,
                    items,
                    files.size(),
                    merged.baseLsn(),
                    merged.walRecords(),
                    merged.baseBytes() + merged.walBytes(),
                    merged.spilledBytes());
            return manifest;
        } finally {
            DurableFiles.deleteRecursively(directory);
        }
    }

    /** Merges the newest usable snapshot below {@code lsn} with the archive since into {@code directory}. */
    private SnapshotMerge.Merged merge(
            PartitionId partition,
            long lsn,
            Snapshots.Judged judged,
            Path directory,
            Consumer<SnapshotException> badSnapshots)
            throws IOException {
        List<Snapshots.SnapshotRef> bases = new ArrayList<>(
                snapshots.list(partition).stream().filter(r -> r.lsn() < lsn).toList());
        Collections.reverse(bases);
        SnapshotMerge merge = new SnapshotMerge(repository, mergeMemoryBytes);
        for (Snapshots.SnapshotRef base : bases) {
            Path baseDirectory = directory.resolve("base");
            try {
                SnapshotManifest manifest = snapshots.manifest(base);
                if (!manifest.digest().algorithm().equals(judged.algorithm().name())
                        || manifest.digest().bucketBits() != judged.bucketBits()) {
                    continue; // a snapshot of another digest shape is not a base; an older one may be
                }
                List<Path> files = snapshots.download(manifest, baseDirectory);
                return merge.merge(
                        partition,
                        lsn,
                        judged.algorithm(),
                        judged.bucketBits(),
                        base.lsn(),
                        files,
                        directory.resolve("changes"),
                        directory.resolve("parts"));
            } catch (SnapshotException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                LOG.warn("{}; merging from an older snapshot", e.getMessage());
                badSnapshots.accept(e);
            } finally {
                DurableFiles.deleteRecursively(baseDirectory);
            }
            DurableFiles.deleteRecursively(directory.resolve("parts"));
        }
        return merge.merge(
                partition,
                lsn,
                judged.algorithm(),
                judged.bucketBits(),
                0,
                List.of(),
                directory.resolve("changes"),
                directory.resolve("parts"));
    }
}
