package dev.vigil.replay;

import dev.vigil.core.Errors;
import dev.vigil.core.LsnRange;
import dev.vigil.core.PartitionId;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.sketch.SketchShape;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.wal.WalRecord;
import dev.vigil.replay.snapshot.SnapshotException;
import dev.vigil.replay.snapshot.SnapshotManifest;
import dev.vigil.replay.snapshot.Snapshots;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays a partition's archived segments, in LSN order, into its {@link ReferenceState}. Every segment is
 * validated while it streams (store re-hash, record CRCs, LSN continuity, seal); the next LSN must be held by
 * some archived segment, or the build stops there and names the gap; a damaged object stops it and is named.
 * At each requested stop LSN the listener sees the reference exactly at that LSN. Memory does not depend on
 * segment size. Not thread safe.
 */
public final class ReferenceBuilder {

    /** Called with the reference exactly at a requested LSN. */
    @FunctionalInterface
    public interface StopListener {
        void at(long lsn, ReferenceState reference) throws IOException;
    }

    /** Records applied per write batch (one multi-get of old values, one write). */
    private static final int BATCH = 512;

    private static final Logger LOG = LoggerFactory.getLogger(ReferenceBuilder.class);

    private final Repository repository;
    private final ObjectStore store;
    private final Optional<Snapshots> snapshots;
    private final Optional<HashCheckpoints> hashStates;
    private final StartingPoints startingPoints;
    private final long snapshotWalBytes;
    private final Consumer<SnapshotException> badSnapshots;
    private final Tuning tuning;

    /**
     * How replays run, each part set by one {@code with…} method: segments downloaded ahead and where to (0: none),
     * who hears of progress and of discarded local references, and whether snapshots are left to a task of their own.
     */
    private record Tuning(
            int prefetch,
            @Nullable Path prefetchDir,
            ReplayProgress progress,
            RebuiltReference rebuilt,
            boolean snapshotsByTask) {

        static final Tuning DEFAULT = new Tuning(0, null, (lsn, bytes) -> {}, (p, d, why) -> {}, false);
    }

    /** Told as replay proceeds: the LSN reached and the archive bytes read so far by this call. */
    @FunctionalInterface
    public interface ReplayProgress {
        void replayed(long lsn, long bytesRead);
    }

    /** A builder that neither reads nor writes snapshots: every build replays from LSN 1. */
    public ReferenceBuilder(Repository repository) {
        this(repository, Optional.empty(), 0, e -> {});
    }

    /**
     * @param snapshots        where snapshots are read from and written to
     * @param snapshotWalBytes write a snapshot after replaying this many archived bytes past the last one (0: never)
     * @param badSnapshots     told about each snapshot that could not be used (the build falls back to an older one)
     */
    public ReferenceBuilder(
            Repository repository,
            Optional<Snapshots> snapshots,
            long snapshotWalBytes,
            Consumer<SnapshotException> badSnapshots) {
        this(repository, snapshots, snapshotWalBytes, badSnapshots, Tuning.DEFAULT);
    }

    private ReferenceBuilder(
            Repository repository,
            Optional<Snapshots> snapshots,
            long snapshotWalBytes,
            Consumer<SnapshotException> badSnapshots,
            Tuning tuning) {
        this.repository = repository;
        this.store = repository.store();
        this.snapshots = snapshots;
        this.hashStates = snapshots.map(s -> new HashCheckpoints(repository, s.scratch(), s.clock()));
        this.startingPoints = new StartingPoints(snapshots, hashStates, badSnapshots);
        this.snapshotWalBytes = snapshotWalBytes;
        this.badSnapshots = badSnapshots;
        this.tuning = tuning;
    }

    private ReferenceBuilder with(Tuning changed) {
        return new ReferenceBuilder(repository, snapshots, snapshotWalBytes, badSnapshots, changed);
    }

    /** A builder that tells {@code listener} about each local reference it discards because it cannot open it. */
    public ReferenceBuilder withRebuiltReferences(RebuiltReference listener) {
        return with(new Tuning(
                tuning.prefetch(), tuning.prefetchDir(), tuning.progress(), listener, tuning.snapshotsByTask()));
    }

    /**
     * A builder that downloads up to {@code segments} archived segments ahead of the replay, in parallel, into
     * {@code directory} (file names made from LSNs, never from object keys); each is deleted once replayed.
     */
    public ReferenceBuilder withPrefetch(int segments, Path directory) {
        if (segments < 1) {
            throw new IllegalArgumentException("prefetch must be at least 1 segment, was " + segments);
        }
        return with(new Tuning(segments, directory, tuning.progress(), tuning.rebuilt(), tuning.snapshotsByTask()));
    }

    /** A builder that reports replay progress to {@code listener}. */
    public ReferenceBuilder withProgress(ReplayProgress listener) {
        return with(new Tuning(
                tuning.prefetch(), tuning.prefetchDir(), listener, tuning.rebuilt(), tuning.snapshotsByTask()));
    }

    /**
     * A builder whose replays write hash-state checkpoints on the snapshot policy but leave the snapshots themselves to
     * a task of their own ({@link #snapshotAtNewestCheckpoint}): a fleet's judge, so that merging a partition's
     * snapshot never holds up its verification.
     */
    public ReferenceBuilder withSnapshotsByTask() {
        return with(new Tuning(tuning.prefetch(), tuning.prefetchDir(), tuning.progress(), tuning.rebuilt(), true));
    }

    /** Where snapshots are read from and written to, if anywhere. */
    public Optional<Snapshots> snapshots() {
        return snapshots;
    }

    /**
     * Opens the partition's reference at the best starting point for reaching {@code target}: the local reference
     * when it is at or below the target and no snapshot at or below the target is newer; otherwise the newest
     * usable snapshot at or below the target; otherwise an empty reference (LSN 0). A snapshot that fails its
     * checks is reported to {@code badSnapshots} and the next older one is tried.
     */
    public ReferenceState open(
            Path workDir, PartitionId partition, DigestAlgorithm algorithm, int bucketBits, long target)
            throws IOException {
        return open(workDir, partition, algorithm, bucketBits, target, Optional.empty());
    }

    /** As {@link #open(Path, PartitionId, DigestAlgorithm, int, long)}, keeping a difference sketch of {@code sketch}. */
    public ReferenceState open(
            Path workDir,
            PartitionId partition,
            DigestAlgorithm algorithm,
            int bucketBits,
            long target,
            Optional<SketchShape> sketch)
            throws IOException {
        return open(ReferenceLocation.work(workDir, partition), partition, algorithm, bucketBits, target, sketch);
    }

    /**
     * As {@link #open(Path, PartitionId, DigestAlgorithm, int, long)}, a reference that keeps every value (and so
     * takes the partition's size on disk): what a restore writes a Parquet or JSON Lines file from.
     */
    public ReferenceState openWithValues(
            Path workDir, PartitionId partition, DigestAlgorithm algorithm, int bucketBits, long target)
            throws IOException {
        return open(
                ReferenceLocation.workWithValues(workDir, partition),
                partition,
                algorithm,
                bucketBits,
                target,
                Optional.empty());
    }

    private ReferenceState open(
            ReferenceLocation.Work location,
            PartitionId partition,
            DigestAlgorithm algorithm,
            int bucketBits,
            long target,
            Optional<SketchShape> sketch)
            throws IOException {
        ReferenceState local = openLocal(location, partition, algorithm, bucketBits);
        long localLsn = local.lsn();
        List<StartingPoints.Start> candidates = new ArrayList<>();
        for (StartingPoints.Start start :
                startingPoints.of(partition, location.layout() == ReferenceLocation.Layout.HASHES)) {
            if (start.lsn() <= target && (localLsn > target || start.lsn() > localLsn)) {
                candidates.add(start);
            }
        }
        if (candidates.isEmpty() && localLsn <= target) {
            if (sketch.isPresent()) {
                local.keepSketch(sketch.get());
            }
            return local;
        }
        local.close();
        Optional<ReferenceState> loaded =
                startingPoints.loadNewest(partition, candidates, location, algorithm, bucketBits, sketch);
        if (loaded.isPresent()) {
            return loaded.get();
        }
        location.discard();
        return ReferenceState.open(location, partition, algorithm, bucketBits, sketch);
    }

    /**
     * The partition's local reference; one that cannot be opened (damaged files, a second process that wrote into the
     * same work directory) is discarded and the build starts over from the newest snapshot or the archive, never a
     * judge that fails the same way at every run. The listener hears of it (an alert).
     */
    private ReferenceState openLocal(
            ReferenceLocation.Work location, PartitionId partition, DigestAlgorithm algorithm, int bucketBits)
            throws IOException {
        try {
            return ReferenceState.open(location, partition, algorithm, bucketBits, Optional.empty());
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted() || e instanceof InterruptedIOException) {
                throw e;
            }
            Path directory = location.directory();
            LOG.warn(
                    "the reference of {} in {} cannot be opened ({}); discarding it to rebuild it",
                    partition,
                    directory,
                    e.getMessage());
            location.discard();
            tuning.rebuilt().discarded(partition, directory, Errors.message(e));
            return ReferenceState.open(location, partition, algorithm, bucketBits, Optional.empty());
        }
    }

    /**
     * Starts a replica in the storage node's format at {@code database} (replacing whatever is there) for reaching
     * {@code target}: loaded from the newest usable snapshot at or below the target, else empty (LSN 0). A snapshot
     * that fails its checks is reported to {@code badSnapshots} and the next older one is tried. A restore builds
     * its output this way, so that the state is written once; its tables are written in RocksDB table
     * {@code tableFormatVersion} (see {@link ReferenceLocation#DEFAULT_REPLICA_FORMAT_VERSION}).
     */
    public ReferenceState openReplica(
            Path database,
            PartitionId partition,
            DigestAlgorithm algorithm,
            int bucketBits,
            long target,
            int tableFormatVersion)
            throws IOException {
        List<StartingPoints.Start> candidates = new ArrayList<>();
        for (StartingPoints.Start start : startingPoints.of(partition, false)) {
            if (start.lsn() <= target) {
                candidates.add(start);
            }
        }
        ReferenceLocation.Replica location = new ReferenceLocation.Replica(database, tableFormatVersion);
        Optional<ReferenceState> loaded =
                startingPoints.loadNewest(partition, candidates, location, algorithm, bucketBits, Optional.empty());
        return loaded.isPresent() ? loaded.get() : ReferenceState.create(location, partition, algorithm, bucketBits);
    }

    /**
     * Advances {@code reference} to {@code target}, calling {@code listener} at every LSN of {@code stops}
     * between the reference's LSN (exclusive) and the target (inclusive), in order.
     *
     * @throws ReferenceBuildException at a gap or a damaged object, with the reference left at the last good LSN
     * @throws ReferenceApplyException   when the reference's own database refuses a batch (the reference stays at the
     *                                   LSN before it); a stop listener's own failure is thrown as it was (only reads
     *                                   of a segment are blamed on it: {@link SegmentRead})
     */
    public void advance(ReferenceState reference, long target, NavigableSet<Long> stops, StopListener listener)
            throws IOException {
        PartitionId partition = reference.partition();
        if (target < reference.lsn()) {
            throw new IllegalArgumentException("the reference of " + partition + " is already at LSN " + reference.lsn()
                    + ", past " + target + "; open it afresh to build an earlier state");
        }
        NavigableSet<Long> pending = new TreeSet<>(stops.subSet(reference.lsn(), false, target, true));
        List<ArchivedSegment> segments = repository.archive(partition).segments();
        SnapshotSchedule schedule = SnapshotSchedule.start(
                tuning.snapshotsByTask() ? Optional.empty() : snapshots,
                hashStates,
                badSnapshots,
                snapshotWalBytes,
                partition,
                reference.lsn(),
                segments);
        Path prefetchDir = tuning.prefetchDir();
        try (SegmentFetcher fetcher = tuning.prefetch() > 0 && prefetchDir != null
                ? new SegmentFetcher.Prefetching(
                        store, plan(segments, reference.lsn(), target), tuning.prefetch(), prefetchDir)
                : new SegmentFetcher.Direct(store)) {
            long bytesRead = 0;
            while (reference.lsn() < target) {
                long next = reference.lsn() + 1;
                ArchivedSegment segment =
                        holding(segments, next).orElseThrow(() -> gap(partition, segments, next, reference));
                try (SegmentRead read = SegmentRead.open(fetcher, segment, reference)) {
                    List<WalRecord> batch = new ArrayList<>(BATCH);
                    long upTo = reference.lsn();
                    while (upTo < target && read.hasNext()) {
                        WalRecord record = read.next();
                        if (record.lsn() <= upTo) {
                            continue;
                        }
                        batch.add(record);
                        upTo = record.lsn();
                        boolean stop = !pending.isEmpty() && pending.first() == upTo;
                        if (stop || batch.size() == BATCH || upTo == target) {
                            reference.applyAll(batch);
                            batch.clear();
                            tuning.progress().replayed(reference.lsn(), bytesRead);
                        }
                        if (stop) {
                            listener.at(pending.pollFirst(), reference);
                        }
                    }
                    reference.applyAll(batch);
                    if (reference.lsn() == segment.range().last()) {
                        read.readToEnd();
                        schedule.segmentDone(segment, reference);
                    }
                    bytesRead += segment.size();
                    tuning.progress().replayed(reference.lsn(), bytesRead);
                }
            }
        }
    }

    /** The segments a replay from {@code from} to {@code target} reads, in order, up to the first gap. */
    private static List<ArchivedSegment> plan(List<ArchivedSegment> segments, long from, long target) {
        List<ArchivedSegment> plan = new ArrayList<>();
        long next = from + 1;
        while (next <= target) {
            Optional<ArchivedSegment> segment = holding(segments, next);
            if (segment.isEmpty()) {
                break;
            }
            plan.add(segment.get());
            next = segment.get().range().last() + 1;
        }
        return plan;
    }

    /**
     * Writes a hash-state checkpoint and a snapshot of the reference at its current LSN now, whatever the policy says:
     * the snapshot merged from the previous one and the archive, published only if its digest is the reference's
     * ({@link Snapshots#publish}).
     */
    public SnapshotManifest snapshot(ReferenceState reference) throws IOException {
        hashStates
                .orElseThrow(() -> new IllegalStateException("this reference builder has no snapshot store"))
                .publish(reference);
        return snapshots
                .orElseThrow(() -> new IllegalStateException("this reference builder has no snapshot store"))
                .publish(
                        reference.partition(),
                        reference.lsn(),
                        reference.digest(),
                        HashCheckpoints.walBytesUpTo(repository, reference.partition(), reference.lsn()),
                        badSnapshots);
    }

    /**
     * Writes the snapshot of {@code partition} at its newest hash-state checkpoint, merged from the previous snapshot and
     * the archive and published only if its digest is the checkpoint's: what a fleet's {@code snapshot-partition} task
     * does, apart from the judge.
     *
     * @return the snapshot written (or found there), or empty when there is no checkpoint newer than the newest
     *     snapshot
     */
    public Optional<SnapshotManifest> snapshotAtNewestCheckpoint(PartitionId partition) throws IOException {
        return hashStates
                .orElseThrow(() -> new IllegalStateException("this reference builder has no snapshot store"))
                .snapshotAtNewest(partition, snapshots.orElseThrow(), badSnapshots);
    }

    private static Optional<ArchivedSegment> holding(List<ArchivedSegment> segments, long lsn) {
        return segments.stream().filter(s -> s.range().contains(lsn)).findFirst();
    }

    private static ReferenceBuildException gap(
            PartitionId partition, List<ArchivedSegment> segments, long next, ReferenceState reference) {
        long resumes = segments.stream()
                .map(ArchivedSegment::range)
                .mapToLong(LsnRange::first)
                .filter(f -> f > next)
                .min()
                .orElse(-1);
        String missing = resumes < 0
                ? "LSN " + next + " onwards is not archived yet"
                : "LSNs " + new LsnRange(next, resumes - 1) + " are not in the archive (it resumes at " + resumes + ")";
        return new ReferenceBuildException(
                "partition " + partition + ": the reference stopped at LSN " + reference.lsn() + ": " + missing,
                reference.lsn(),
                null);
    }
}
