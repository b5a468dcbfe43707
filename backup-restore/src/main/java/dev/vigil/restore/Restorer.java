package dev.vigil.restore;

import dev.vigil.core.Errors;
import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.digest.Digest;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.io.DirectoryLock;
import dev.vigil.core.io.DurableFiles;
import dev.vigil.core.io.Leftovers;
import dev.vigil.core.io.ProcessTag;
import dev.vigil.core.io.SafePaths;
import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.repository.Classification;
import dev.vigil.core.repository.PublishedScrub;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.repository.Verdict;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.replay.ReferenceBuildException;
import dev.vigil.replay.ReferenceBuilder;
import dev.vigil.replay.ReferenceState;
import dev.vigil.replay.snapshot.SnapshotException;
import dev.vigil.replay.snapshot.Snapshots;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;

/**
 * Restores a partition to a point: starts from the newest snapshot at or below it (files downloaded in
 * parallel and proven against the manifest's digest), replays the archived segments after it with bounded
 * prefetch (each object's checksum verified), stops at exactly the target LSN, writes the requested format into
 * a staging directory beside the target, reads it back into a digest and compares it with the reference digest
 * at that LSN (and with any scrub report published at that LSN). Only a verified result is moved into the
 * target; an unverified one is left beside it under a name that says so. Thread safe (one restore per call).
 */
public final class Restorer {

    /** Segments downloaded ahead of the replay. */
    static final int PREFETCH = 4;
    /** Part of the name of the hidden directory beside the target that a restore writes into. */
    static final String STAGING = ".vigil-restore-";
    /** Part of the name a replaced target is moved aside to until the new one is in place. */
    static final String REPLACED = ".vigil-replaced-";

    private final ObjectStore store;
    private final Repository repository;
    private final Snapshots snapshots;
    private final Path workDir;
    private final DigestAlgorithm algorithm;
    private final int bucketBits;
    private final Clock clock;
    private final RandomGenerator random;
    private final Consumer<SnapshotException> badSnapshots;
    private final Function<RestoreFormat, RestoreOutput> outputs;

    /**
     * @param badSnapshots told about each snapshot a restore could not use (it falls back to an older one); the
     *                     daemon and the CLI raise {@code SNAPSHOT_CORRUPT} with {@link SnapshotException#raisingAlerts}
     */
    public Restorer(
            ObjectStore store,
            Snapshots snapshots,
            Path workDir,
            DigestAlgorithm algorithm,
            int bucketBits,
            Consumer<SnapshotException> badSnapshots,
            Clock clock,
            RandomGenerator random) {
        this(store, snapshots, workDir, algorithm, bucketBits, badSnapshots, clock, random, RestoreOutput::of);
    }

    /** With the writer of each format given (tests use one that writes something else than the state). */
    Restorer(
            ObjectStore store,
            Snapshots snapshots,
            Path workDir,
            DigestAlgorithm algorithm,
            int bucketBits,
            Consumer<SnapshotException> badSnapshots,
            Clock clock,
            RandomGenerator random,
            Function<RestoreFormat, RestoreOutput> outputs) {
        this.outputs = outputs;
        this.badSnapshots = badSnapshots;
        this.store = store;
        this.repository = new Repository(store);
        this.snapshots = snapshots;
        this.workDir = workDir;
        this.algorithm = algorithm;
        this.bucketBits = bucketBits;
        this.clock = clock;
        this.random = random;
    }

    /** Resolves a target to an LSN without restoring (what {@code --to-time} or {@code --latest} means now). */
    public long resolve(PartitionId partition, RestoreTarget target) throws IOException {
        return resolution(partition, target).lsn();
    }

    /** The LSN a target means, and a warning when that is not quite what was asked for. */
    private record Resolution(long lsn, Optional<String> warning) {}

    private Resolution resolution(PartitionId partition, RestoreTarget target) throws IOException {
        List<ArchivedSegment> segments = repository.archive(partition).segments();
        List<ArchivedSegment> chain = PointInTime.chain(segments);
        Optional<Snapshots.SnapshotRef> newest =
                snapshots.list(partition).stream().reduce((a, b) -> b);
        long archived = segments.stream().mapToLong(s -> s.range().last()).max().orElse(0);
        long end = Math.max(archived, newest.map(Snapshots.SnapshotRef::lsn).orElse(0L));
        return switch (target) {
            case RestoreTarget.ToLsn lsn -> {
                if (end == 0) {
                    throw nothingArchived(partition);
                }
                if (lsn.lsn() > end) {
                    throw new RestoreException(
                            RestoreException.Kind.USAGE,
                            "partition " + partition + ": LSN "
                                    + lsn.lsn() + " is beyond the end of the archive in " + store.describe()
                                    + ", which ends at"
                                    + " LSN " + end
                                    + (newest.isPresent() && newest.get().lsn() == end ? " (a snapshot)" : "")
                                    + ". Restore to LSN " + end
                                    + " or earlier (--latest); if the node has written further, its"
                                    + " daemon archives the rest once the segments are sealed.",
                            null);
                }
                yield new Resolution(lsn.lsn(), Optional.empty());
            }
            case RestoreTarget.ToTime time -> {
                PointInTime.Match match = new PointInTime(store).match(partition, chain, time.time());
                Optional<String> warning = Optional.empty();
                if (match.newest() && time.time().isAfter(match.recordTime())) {
                    warning = Optional.of("--to-time " + time.time() + " is after the newest archived record"
                            + (chain.getLast().range().last() < archived ? " reachable without a gap" : "") + " (LSN "
                            + match.lsn() + ", written " + match.recordTime()
                            + "): restoring to that record. Anything the"
                            + " node wrote later is not archived yet.");
                }
                yield new Resolution(match.lsn(), warning);
            }
            case RestoreTarget.Latest latest -> {
                long best = Math.max(
                        chain.isEmpty() ? 0 : chain.getLast().range().last(),
                        newest.map(Snapshots.SnapshotRef::lsn).orElse(0L));
                if (best == 0) {
                    throw nothingArchived(partition);
                }
                yield new Resolution(best, Optional.empty());
            }
        };
    }

    private RestoreException nothingArchived(PartitionId partition) {
        return new RestoreException(
                RestoreException.Kind.USAGE,
                "partition " + partition + " has nothing archived in " + store.describe()
                        + " (no segment, no snapshot)",
                null);
    }

    public RestoreResult restore(RestoreRequest request, RestoreProgress progress) throws IOException {
        Instant started = clock.instant();
        PartitionId partition = request.partition();
        Path target = request.directory().toAbsolutePath().normalize();
        checkTarget(target, request.force());
        // One restore per target: a second one refuses at once instead of silently replacing the first's result.
        try (DirectoryLock lock = lockTarget(target, partition, started)) {
            return restore(request, progress, started, partition, target, lock);
        }
    }

    private DirectoryLock lockTarget(Path target, PartitionId partition, Instant now) throws IOException {
        if (Thread.currentThread().isInterrupted()) {
            // Stopped before it began (opening the lock file would fail on the interrupt, and say nothing useful).
            throw new RestoreException(
                    RestoreException.Kind.INTERRUPTED,
                    "the restore of " + partition + " into " + target + " was interrupted before it began; nothing"
                            + " was written. Run the same command again to restore.",
                    null);
        }
        try {
            return DirectoryLock.acquireBeside(
                    target, "restore target", "vigil restore of partition " + partition + " into " + target, now);
        } catch (ClosedByInterruptException e) {
            throw new RestoreException(
                    RestoreException.Kind.INTERRUPTED,
                    "the restore of " + partition + " into " + target + " was interrupted before it began; nothing"
                            + " was written. Run the same command again to restore.",
                    e);
        } catch (DirectoryLock.HeldException e) {
            throw new RestoreException(
                    RestoreException.Kind.USAGE,
                    e.getMessage() + "; wait for that restore to end, or restore into another --target",
                    e);
        }
    }

    private RestoreResult restore(
            RestoreRequest request,
            RestoreProgress progress,
            Instant started,
            PartitionId partition,
            Path target,
            DirectoryLock lock)
            throws IOException {
        removeLeftovers(target, progress);
        Resolution resolution = resolution(partition, request.target());
        long lsn = resolution.lsn();
        resolution.warning().ifPresent(warning -> progress.phase("warning: " + warning));
        String id = Long.toHexString(random.nextLong() & Long.MAX_VALUE);
        String tag = ProcessTag.current().suffix();
        Path work = workDir.resolve("restore").resolve(partition + "-" + id + tag);
        Path staging = target.resolveSibling("." + target.getFileName() + STAGING + id + tag);
        List<String> skipped = new ArrayList<>();
        String[] phase = {"choosing a starting point"};
        try {
            long[] replayed = {0};
            long[] start = {0};
            ReferenceBuilder builder = new ReferenceBuilder(store, Optional.of(snapshots), 0, (SnapshotException e) -> {
                        skipped.add(e.getMessage());
                        badSnapshots.accept(e);
                    })
                    .withPrefetch(PREFETCH, work.resolve("prefetch"))
                    .withProgress((reached, bytes) -> {
                        if (Thread.currentThread().isInterrupted()) {
                            throw new Interrupted();
                        }
                        replayed[0] = bytes;
                        progress.replayed(start[0] + 1, lsn, reached, bytes);
                    });
            progress.phase("choosing a starting point for " + partition + " at LSN " + lsn);
            RestoreOutput output = outputs.apply(request.format());
            Digest expected;
            Optional<Long> snapshot;
            try (ReferenceState reference = output.start(
                    builder,
                    work.resolve("reference"),
                    staging,
                    partition,
                    algorithm,
                    bucketBits,
                    lsn,
                    request.rocksdbFormatVersion())) {
                start[0] = reference.lsn();
                snapshot = reference.lsn() > 0 ? Optional.of(reference.lsn()) : Optional.empty();
                phase[0] = "replaying LSNs " + (reference.lsn() + 1) + ".." + lsn;
                progress.phase(snapshot.map(s -> "loaded snapshot at LSN " + s)
                                .orElse("no snapshot at or below LSN " + lsn + ": replaying from the start")
                        + "; " + phase[0]);
                try {
                    builder.advance(reference, lsn, new TreeSet<>(), (l, s) -> {});
                } catch (ReferenceBuildException e) {
                    throw new RestoreException(
                            RestoreException.Kind.REPOSITORY,
                            "restore of " + partition + " to LSN "
                                    + lsn + " failed: " + e.getMessage()
                                    + ". Nothing was written. Put the missing or damaged"
                                    + " segment back from a node that still holds it (its daemon archives it again), or restore"
                                    + " to LSN " + e.reached() + " or earlier.",
                            e);
                }
                expected = reference.digest();
                phase[0] = "writing the output";
                checkInterrupt();
                progress.phase("writing " + expected.itemCount() + " items as "
                        + request.format().name().toLowerCase(Locale.ROOT));
                Files.createDirectories(staging);
                output.write(reference, staging);
            }
            output.finish(staging);
            phase[0] = "reading the output back";
            checkInterrupt();
            progress.phase(
                    "reading the written " + request.format().name().toLowerCase(Locale.ROOT) + " back into a digest");
            Digest written = output.readBack(staging, lsn, algorithm, bucketBits);
            List<String> checks = new ArrayList<>();
            resolution.warning().ifPresent(warning -> checks.add("warning: " + warning));
            boolean matches = written.sameAs(expected);
            checks.add("reference digest at LSN " + lsn + " (replayed from the archive): "
                    + (matches
                            ? "match"
                            : "MISMATCH, the output holds " + written.itemCount() + " items with root "
                                    + written.rootHex() + ", the reference " + expected.itemCount() + " with root "
                                    + expected.rootHex()));
            skipped.forEach(bad -> checks.add("snapshot skipped: " + bad));
            List<String> contradictions = new ArrayList<>();
            Map<ReplicaId, Digest> reports = new TreeMap<>();
            for (ScrubDigest report : scrubDigestsAt(partition, lsn)) {
                if (report.digest().algorithm() == algorithm && report.digest().bucketBits() == bucketBits) {
                    reports.put(ReplicaId.of(report.replica()), report.digest());
                }
            }
            Map<ReplicaId, Verdict.Status> statuses = Classification.classify(written, reports);
            statuses.forEach((replica, status) -> checks.add("scrub report of replica " + replica + " at LSN " + lsn
                    + ": " + (status == Verdict.Status.CLEAN ? "match" : "differs (" + status + ")")));
            if (statuses.values().stream().anyMatch(Classification::contradictsTheArchive)) {
                contradictions.add(
                        "the scrub reports of replicas " + statuses.keySet() + " at LSN " + lsn + " contradict"
                                + " the archive's state ("
                                + statuses.values().stream()
                                        .filter(Classification::contradictsTheArchive)
                                        .findFirst()
                                        .orElseThrow()
                                + ": the replicas agree with each other, not with the archive)");
            }
            for (Verdict verdict : repository.newestVerdictsAtOrBelow(partition, lsn)) {
                if (Classification.contradictsTheArchive(verdict.status())) {
                    contradictions.add("verdict "
                            + RepositoryLayout.verdictKey(partition, verdict.lsn(), ReplicaId.of(verdict.replica()))
                            + ": " + verdict.status() + " at LSN " + verdict.lsn()
                            + " (judged " + verdict.judgedAt() + "), the newest verdict at or below LSN " + lsn);
                }
            }
            contradictions.forEach(c -> checks.add("CONTRADICTED: " + c));
            if (!contradictions.isEmpty() && request.acceptArchive()) {
                checks.add("the operator accepted the archive's version (--accept-archive) despite the contradiction");
            }
            boolean verified = matches && (contradictions.isEmpty() || request.acceptArchive());
            phase[0] = "checking the output";
            checkInterrupt();
            Path location =
                    verified ? install(staging, target, request.force(), lock, id) : unverified(staging, target, id);
            return new RestoreResult(
                    partition.value(),
                    request.target().toString(),
                    lsn,
                    written.itemCount(),
                    written.rootHex(),
                    verified,
                    checks,
                    contradictions,
                    snapshot,
                    replayed[0],
                    location,
                    request.format(),
                    Duration.between(started, clock.instant()));
        } catch (SecurityException e) {
            throw new RestoreException(RestoreException.Kind.REPOSITORY, Errors.message(e), e);
        } catch (Interrupted | InterruptedIOException | ClosedByInterruptException e) {
            throw interrupted(partition, lsn, target, phase[0], work, staging, e);
        } catch (IOException | RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw interrupted(partition, lsn, target, phase[0], work, staging, e);
            }
            throw e;
        } finally {
            boolean interrupted = Thread.interrupted(); // the cleanup must not be cut short by the same interrupt
            try {
                DurableFiles.deleteRecursively(work);
                DurableFiles.deleteRecursively(staging);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** The replay's progress callback cannot throw a checked exception; this carries an interrupt out of it. */
    private static final class Interrupted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Interrupted() {
            super("interrupted", null, false, false);
        }
    }

    private static void checkInterrupt() {
        if (Thread.currentThread().isInterrupted()) {
            throw new Interrupted();
        }
    }

    private static RestoreException interrupted(
            PartitionId partition, long lsn, Path target, String phase, Path work, Path staging, Exception cause) {
        return new RestoreException(
                RestoreException.Kind.INTERRUPTED,
                "the restore of " + partition + " to LSN " + lsn
                        + " was interrupted while " + phase + ". Nothing was written to " + target
                        + "; the partial work in "
                        + work + " and " + staging + " is removed. Run the same command again to restore.",
                cause);
    }

    /**
     * Removes what restores killed on this host left behind (a kill -9, a second Ctrl-C, a power cut): their work
     * directories under {@code work-dir/restore} and their staging directories beside targets in this target's
     * parent. A directory moved aside while a target was being replaced is removed only when the target is in place,
     * since otherwise it may hold the only copy of the old state.
     */
    private void removeLeftovers(Path target, RestoreProgress progress) throws IOException {
        List<Leftovers.Removed> removed = new ArrayList<>(Leftovers.sweep(workDir.resolve("restore"), name -> true));
        Path parent = SafePaths.parentOf(target);
        removed.addAll(Leftovers.sweep(parent, name -> name.startsWith(".") && name.contains(STAGING)));
        removed.addAll(Leftovers.sweep(parent, name -> {
            int aside = name.indexOf(REPLACED);
            return name.startsWith(".") && aside > 1 && Files.isDirectory(parent.resolve(name.substring(1, aside)));
        }));
        for (Leftovers.Removed leftover : removed) {
            progress.phase("removed the leftover of an interrupted restore: " + leftover);
        }
    }

    private static void checkTarget(Path target, boolean force) throws IOException {
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new RestoreException(
                    RestoreException.Kind.USAGE, "target " + target + " exists and is not a directory", null);
        }
        if (Files.isDirectory(target) && !force) {
            try (Stream<Path> entries = Files.list(target)) {
                if (entries.findAny().isPresent()) {
                    throw new RestoreException(
                            RestoreException.Kind.USAGE,
                            "target " + target + " is not empty; restore"
                                    + " into a new directory, or pass --force to replace its contents once the restore is verified",
                            null);
                }
            }
        }
        Path parent = target.toAbsolutePath().getParent();
        if (parent == null) {
            throw new RestoreException(
                    RestoreException.Kind.USAGE, "target " + target + " has no parent directory", null);
        }
        Files.createDirectories(parent);
    }

    /**
     * Moves the verified output into place; an existing target is moved aside first and deleted after. Checked again
     * right before the move, so that nothing that appeared in the target meanwhile (another process wrote into it) is
     * ever replaced without {@code --force}: the verified result is then kept beside it, under a name that says so.
     */
    private Path install(Path staging, Path target, boolean force, DirectoryLock lock, String id) throws IOException {
        if (!lock.isHeld()) {
            throw new RestoreException(
                    RestoreException.Kind.REPOSITORY,
                    "lost the lock on the target " + target + " (" + lock.file() + ") before installing; the verified"
                            + " result stays in " + staging,
                    null);
        }
        if (!force && Files.exists(target) && !isEmptyDirectory(target)) {
            Path kept = target.resolveSibling(target.getFileName() + ".verified-" + id);
            Files.move(staging, kept, StandardCopyOption.ATOMIC_MOVE);
            throw new RestoreException(
                    RestoreException.Kind.USAGE,
                    "target " + target + " was filled by something else while the restore ran; it was left as it is,"
                            + " and the verified result is at " + kept + " (move it into place, or restore again with"
                            + " --force)",
                    null);
        }
        Path aside = null;
        if (Files.exists(target)) {
            aside = target.resolveSibling(
                    "." + target.getFileName() + REPLACED + Long.toHexString(random.nextLong() & Long.MAX_VALUE)
                            + ProcessTag.current().suffix());
            Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        DurableFiles.forceDirectory(SafePaths.parentOf(target));
        if (aside != null) {
            DurableFiles.deleteRecursively(aside);
        }
        return target;
    }

    private static boolean isEmptyDirectory(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        }
    }

    private static Path unverified(Path staging, Path target, String id) throws IOException {
        Path kept = target.resolveSibling(target.getFileName() + ".unverified-" + id);
        Files.move(staging, kept, StandardCopyOption.ATOMIC_MOVE);
        return kept;
    }

    private record ScrubDigest(String replica, Digest digest) {}

    private List<ScrubDigest> scrubDigestsAt(PartitionId partition, long lsn) throws IOException {
        List<ScrubDigest> digests = new ArrayList<>();
        for (PublishedScrub scrub : repository.scrubReportsAt(partition, lsn)) {
            if (scrub.complete()) {
                digests.add(new ScrubDigest(
                        scrub.at().replica().value(), repository.readScrubDigest(partition, scrub.at())));
            }
        }
        return digests;
    }
}
