package dev.vigil.replay;

import dev.vigil.core.Keys;
import dev.vigil.core.PartitionId;
import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.checksum.Hasher;
import dev.vigil.core.digest.Digest;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.digest.ItemHasher;
import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.RepositoryJson;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.sketch.SketchShape;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectNotFoundException;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.PreconditionFailedException;
import dev.vigil.core.store.PutRequest;
import dev.vigil.core.summary.StateAccumulator;
import dev.vigil.replay.snapshot.SnapshotException;
import dev.vigil.replay.snapshot.SnapshotManifest;
import dev.vigil.replay.snapshot.Snapshots;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hash-state checkpoints in the repository: the judge's hash-only reference of a partition at an LSN (per key its LSN
 * and item hash), so that any worker resumes any partition by downloading the hashes and the WAL since, never a full
 * snapshot. Each is {@code partitions/<pid>/reference/<lsn>/hashes.bin} and a {@link HashStateManifest} written last
 * ("only if absent"); written through the repository's store, it is encrypted and logged like every other object.
 * Loading checks size, SHA-256 and the digest the hashes add up to; a checkpoint that fails is a
 * {@link SnapshotException} naming the object (the caller falls back to an older starting point). Publishing keeps the
 * two newest checkpoints of a partition and deletes the rest. Thread safe.
 *
 * <p>{@code hashes.bin}: the 8 bytes {@code VGLHASH1}, then per key in ascending order its length (4 bytes), the key,
 * the LSN that last wrote it and the item hash's high and low halves (8 bytes each), then {@code -1} (4 bytes) and the
 * number of keys (8 bytes); big-endian.
 */
public final class HashCheckpoints {

    private static final Logger LOG = LoggerFactory.getLogger(HashCheckpoints.class);
    private static final byte[] MAGIC = "VGLHASH1".getBytes(StandardCharsets.US_ASCII);
    private static final int END = -1;
    private static final String HASHES = "hashes.bin";
    private static final String MANIFEST = "manifest.json";
    /** Checkpoints kept per partition: the newest, and the one before it while the newest may still be in use. */
    static final int KEEP = 2;

    private final Repository repository;
    private final ObjectStore store;
    private final Path scratch;
    private final Clock clock;

    public HashCheckpoints(Repository repository, Path scratch, Clock clock) {
        this.repository = repository;
        this.store = repository.store();
        this.scratch = scratch;
        this.clock = clock;
    }

    /** The committed checkpoints of {@code partition} (with a manifest), by LSN, oldest first. */
    public List<Long> list(PartitionId partition) throws IOException {
        List<Long> lsns = new ArrayList<>();
        store.forEach(RepositoryLayout.hashStatesPrefix(partition), object -> {
            if (object.key().endsWith("/" + MANIFEST)) {
                RepositoryLayout.parseHashStateLsn(partition, object.key())
                        .filter(lsn -> object.key().equals(manifestKey(partition, lsn)))
                        .ifPresent(lsns::add);
            }
        });
        return lsns;
    }

    static String manifestKey(PartitionId partition, long lsn) {
        return RepositoryLayout.hashStatePrefix(partition, lsn) + MANIFEST;
    }

    static String hashesKey(PartitionId partition, long lsn) {
        return RepositoryLayout.hashStatePrefix(partition, lsn) + HASHES;
    }

    /**
     * Writes the reference's hashes at its LSN as a checkpoint, unless one is there already, then deletes all but the
     * {@value #KEEP} newest of the partition (a deletion that fails is logged: the next publish tries again).
     */
    public HashStateManifest publish(ReferenceState reference) throws IOException {
        PartitionId partition = reference.partition();
        long lsn = reference.lsn();
        Optional<HashStateManifest> existing = readManifest(partition, lsn);
        if (existing.isPresent()) {
            return existing.get();
        }
        Files.createDirectories(scratch);
        Path file = scratch.resolve("hashes-" + partition + "-" + lsn + ".bin");
        try {
            long[] count = {0};
            try (DataOutputStream out =
                    new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
                out.write(MAGIC);
                reference.forEachHash((key, keyLsn, hash) -> {
                    out.writeInt(key.length);
                    out.write(key);
                    out.writeLong(keyLsn);
                    out.writeLong(hash[0]);
                    out.writeLong(hash[1]);
                    count[0]++;
                });
                out.writeInt(END);
                out.writeLong(count[0]);
            }
            Checksum sha = Checksum.of(ChecksumAlgorithm.SHA256, file);
            store.put(PutRequest.overwrite(hashesKey(partition, lsn), ObjectBody.ofFile(file), sha, Map.of()));
            Digest digest = reference.digest();
            HashStateManifest manifest = new HashStateManifest(
                    HashStateManifest.FORMAT,
                    partition.value(),
                    lsn,
                    count[0],
                    digest.algorithm().name(),
                    digest.bucketBits(),
                    digest.rootHex(),
                    Files.size(file),
                    sha.hex(),
                    clock.instant().toString());
            byte[] body = RepositoryJson.PRETTY.writeValueAsBytes(manifest);
            try {
                store.put(PutRequest.ifAbsent(
                        manifestKey(partition, lsn),
                        ObjectBody.ofBytes(body),
                        Checksum.of(ChecksumAlgorithm.SHA256, body),
                        Map.of()));
            } catch (PreconditionFailedException raced) {
                return readManifest(partition, lsn).orElse(manifest);
            }
            LOG.info("hash state of {} at LSN {}: {} keys, {} bytes", partition, lsn, count[0], manifest.size());
            deleteOlder(partition);
            return manifest;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Deletes every object under the partition's checkpoints below the {@value #KEEP} newest committed ones. */
    private void deleteOlder(PartitionId partition) {
        try {
            List<Long> committed = list(partition);
            if (committed.size() <= KEEP) {
                return;
            }
            long oldestKept = committed.get(committed.size() - KEEP);
            TreeMap<Long, List<String>> byLsn = new TreeMap<>();
            store.forEach(
                    RepositoryLayout.hashStatesPrefix(partition),
                    object -> RepositoryLayout.parseHashStateLsn(partition, object.key())
                            .ifPresent(lsn -> byLsn.computeIfAbsent(lsn, l -> new ArrayList<>())
                                    .add(object.key())));
            for (List<String> keys : byLsn.headMap(oldestKept, false).values()) {
                // The manifest first: a checkpoint half deleted is no checkpoint, never one with a missing file.
                keys.sort((a, b) -> Boolean.compare(!a.endsWith(MANIFEST), !b.endsWith(MANIFEST)));
                for (String key : keys) {
                    store.delete(key);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "could not delete older hash states of {}: {}; the next checkpoint tries again",
                    partition,
                    e.getMessage());
        }
    }

    /** The manifest of the checkpoint at {@code lsn}, if it is committed. */
    public Optional<HashStateManifest> readManifest(PartitionId partition, long lsn) throws IOException {
        String key = manifestKey(partition, lsn);
        HashStateManifest manifest;
        try (ObjectStream in = store.get(key)) {
            manifest = RepositoryJson.MAPPER.readValue(in.readAllBytes(), HashStateManifest.class);
        } catch (ObjectNotFoundException e) {
            return Optional.empty();
        } catch (InterruptedIOException | ClosedByInterruptException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new SnapshotException(
                    key, "hash state manifest " + key + " is unreadable or damaged: " + e.getMessage(), e);
        }
        if (!manifest.partition().equals(partition.value())
                || manifest.lsn() != lsn
                || manifest.format() != HashStateManifest.FORMAT) {
            throw new SnapshotException(
                    key,
                    "hash state manifest " + key + " describes partition "
                            + manifest.partition() + " at LSN " + manifest.lsn() + " (format " + manifest.format()
                            + "), not what its key says",
                    null);
        }
        return Optional.of(manifest);
    }

    /**
     * Loads the checkpoint at {@code lsn} as the reference at {@code location} (replacing what is there), keeping a
     * sketch of {@code sketch} built from the hashes on the way, and proves it: size, SHA-256, key order and the digest
     * the hashes add up to must all be what the manifest says; otherwise nothing is left at the location.
     */
    public ReferenceState load(
            PartitionId partition,
            long lsn,
            ReferenceLocation.Work location,
            DigestAlgorithm algorithm,
            int bucketBits,
            Optional<SketchShape> sketch)
            throws IOException {
        String manifestKey = manifestKey(partition, lsn);
        HashStateManifest manifest = readManifest(partition, lsn)
                .orElseThrow(
                        () -> new SnapshotException(manifestKey, "hash state " + manifestKey + " is missing", null));
        if (!manifest.algorithm().equals(algorithm.name()) || manifest.bucketBits() != bucketBits) {
            throw new SnapshotException(
                    manifestKey,
                    "hash state " + manifestKey + " has a " + manifest.algorithm()
                            + " digest with " + manifest.bucketBits() + " bucket bits; this configuration uses "
                            + algorithm
                            + " with " + bucketBits,
                    null);
        }
        String key = hashesKey(partition, lsn);
        location.discard();
        StateAccumulator accumulator = StateAccumulator.create(algorithm, bucketBits, sketch);
        boolean loaded = false;
        try (SortedSstWriter sst =
                new SortedSstWriter(location.ingestStaging().resolve("hashes"), "the hash state of " + partition)) {
            read(key, manifest, sst, accumulator);
            ReferenceDatabase db = ReferenceDatabase.ingesting(location, partition, List.of(sst));
            ReferenceState state = ReferenceState.loaded(partition, location, db, accumulator, lsn);
            Digest digest = state.digest();
            if (!digest.rootHex().equals(manifest.root()) || digest.itemCount() != manifest.items()) {
                state.close();
                throw new SnapshotException(
                        key,
                        "hash state " + key + " does not prove out: it holds "
                                + digest.itemCount() + " keys with digest root " + digest.rootHex()
                                + ", its manifest says "
                                + manifest.items() + " with root " + manifest.root(),
                        null);
            }
            loaded = true;
            return state;
        } finally {
            if (!loaded) {
                location.discard();
            }
        }
    }

    /** Streams the hashes into {@code sst} and {@code accumulator}, checking the object against its manifest. */
    private void read(String key, HashStateManifest manifest, SortedSstWriter sst, StateAccumulator accumulator)
            throws IOException {
        Hasher sha = ChecksumAlgorithm.SHA256.newHasher();
        long[] size = {0};
        try (ObjectStream object = store.get(key);
                DataInputStream in =
                        new DataInputStream(new BufferedInputStream(new HashingStream(object, sha, size), 1 << 16))) {
            if (!Arrays.equals(in.readNBytes(MAGIC.length), MAGIC)) {
                throw new IOException("it does not start with " + new String(MAGIC, StandardCharsets.US_ASCII));
            }
            long count = 0;
            long[] hash = new long[2];
            byte @Nullable [] last = null;
            for (int length; (length = in.readInt()) != END; ) {
                if (length < 0 || length > 1 << 20) {
                    throw new IOException("a key length of " + length + " after " + count + " keys");
                }
                byte[] keyBytes = in.readNBytes(length);
                if (keyBytes.length != length) {
                    throw new EOFException("it ends inside key " + (count + 1));
                }
                if (last != null && Arrays.compareUnsigned(last, keyBytes) >= 0) {
                    throw new IOException(
                            "key " + Keys.printable(keyBytes) + " does not sort after " + Keys.printable(last));
                }
                long keyLsn = in.readLong();
                hash[0] = in.readLong();
                hash[1] = in.readLong();
                if (keyLsn < 1 || keyLsn > manifest.lsn()) {
                    throw new IOException("key " + Keys.printable(keyBytes) + " was written at LSN " + keyLsn
                            + ", outside 1.." + manifest.lsn());
                }
                sst.put(keyBytes, ReferenceDatabase.hashed(keyLsn, hash));
                accumulator.addHashed(keyBytes, ItemHasher.keyHash(keyBytes), hash);
                last = keyBytes;
                count++;
            }
            long declared = in.readLong();
            if (declared != count || in.read() != -1) {
                throw new IOException("it holds " + count + " keys but ends saying " + declared);
            }
        } catch (ObjectNotFoundException e) {
            throw new SnapshotException(key, "hash state " + key + " is missing (its manifest lists it)", e);
        } catch (InterruptedIOException | ClosedByInterruptException e) {
            throw e;
        } catch (IOException e) {
            throw new SnapshotException(key, "hash state " + key + " is unreadable or damaged: " + e.getMessage(), e);
        }
        String hex = sha.finish().hex();
        if (size[0] != manifest.size() || !hex.equals(manifest.sha256())) {
            throw new SnapshotException(
                    key,
                    "hash state " + key + " is not the object its manifest describes: "
                            + size[0] + " bytes with SHA-256 " + hex + ", expected " + manifest.size() + " with "
                            + manifest.sha256(),
                    null);
        }
    }

    /** Counts and hashes what is read through it. */
    private static final class HashingStream extends java.io.FilterInputStream {
        private final Hasher hasher;
        private final long[] size;

        HashingStream(InputStream in, Hasher hasher, long[] size) {
            super(in);
            this.hasher = hasher;
            this.size = size;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                hasher.update(new byte[] {(byte) b}, 0, 1);
                size[0]++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                hasher.update(buffer, offset, n);
                size[0] += n;
            }
            return n;
        }
    }

    /**
     * Writes the snapshot of {@code partition} at its newest hash-state checkpoint, merged from the previous snapshot and
     * the archive and published only if its digest is the checkpoint's: what a fleet's {@code snapshot-partition} task
     * does, apart from the judge.
     *
     * @return the snapshot written (or found there), or empty when there is no checkpoint newer than the newest
     *     snapshot
     */
    public Optional<SnapshotManifest> snapshotAtNewest(
            PartitionId partition, Snapshots store, Consumer<SnapshotException> badSnapshots) throws IOException {
        List<Long> checkpoints = list(partition);
        if (checkpoints.isEmpty()) {
            return Optional.empty();
        }
        long lsn = checkpoints.getLast();
        Optional<Snapshots.SnapshotRef> newest = store.latestAtOrBelow(partition, Long.MAX_VALUE);
        if (newest.isPresent() && newest.get().lsn() >= lsn) {
            return Optional.empty();
        }
        HashStateManifest checkpoint = readManifest(partition, lsn)
                .orElseThrow(() -> new SnapshotException(
                        manifestKey(partition, lsn),
                        "hash state " + manifestKey(partition, lsn) + " is missing",
                        null));
        Snapshots.Judged judged = new Snapshots.Judged(
                DigestAlgorithm.valueOf(checkpoint.algorithm()),
                checkpoint.bucketBits(),
                checkpoint.root(),
                checkpoint.items());
        return Optional.of(
                store.publish(partition, lsn, judged, walBytesUpTo(repository, partition, lsn), badSnapshots));
    }

    /** Archived WAL bytes up to {@code lsn}, recorded in a snapshot's manifest for the snapshot policy. */
    static long walBytesUpTo(Repository repository, PartitionId partition, long lsn) throws IOException {
        return repository.archive(partition).segments().stream()
                .filter(s -> s.range().last() <= lsn)
                .mapToLong(ArchivedSegment::size)
                .sum();
    }
}
