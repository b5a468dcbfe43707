package dev.vigil.restore;

import dev.vigil.core.Errors;
import dev.vigil.core.PartitionId;
import dev.vigil.core.digest.Digest;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.io.DirectoryLock;
import dev.vigil.core.io.Leftovers;
import dev.vigil.core.io.PrivateDirectories;
import dev.vigil.core.io.ProcessTag;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.store.UndecryptableObjectException;
import dev.vigil.replay.ReferenceBuildException;
import dev.vigil.replay.ReferenceBuilder;
import dev.vigil.replay.ReferenceState;
import dev.vigil.replay.snapshot.SnapshotException;
import dev.vigil.replay.snapshot.Snapshots;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.random.RandomGenerator;

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

    private final Repository repository;
    private final Snapshots snapshots;
    private final RestorePlanner planner;
    private final RestoreChecks checks;
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
            Repository repository,
            Snapshots snapshots,
            Path workDir,
            DigestAlgorithm algorithm,
            int bucketBits,
            Consumer<SnapshotException> badSnapshots,
            Clock clock,
            RandomGenerator random) {
        this(repository, snapshots, workDir, algorithm, bucketBits, badSnapshots, clock, random, RestoreOutput::of);
    }

    /** With the writer of each format given (tests use one that writes something else than the state). */
    Restorer(
            Repository repository,
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
        this.repository = repository;
        this.snapshots = snapshots;
        this.planner = new RestorePlanner(repository, snapshots);
        this.checks = new RestoreChecks(repository, algorithm, bucketBits);
        this.workDir = workDir;
        this.algorithm = algorithm;
        this.bucketBits = bucketBits;
        this.clock = clock;
        this.random = random;
    }

    /** Resolves a target to an LSN without restoring (what {@code --to-time} or {@code --latest} means now). */
    public long resolve(PartitionId partition, RestoreTarget target) throws IOException {
        return planner.plan(partition, target).lsn();
    }

    /**
     * Restores as the request says: plans the LSN, replays into the output, reads it back, checks it against the
     * reference digest, the scrub reports and the verdicts, and installs it only when verified.
     */
    public RestoreResult restore(RestoreRequest request, RestoreProgress progress) throws IOException {
        Instant started = clock.instant();
        PartitionId partition = request.partition();
        RestoreTargetDirectory target = new RestoreTargetDirectory(request.directory(), partition, random);
        target.check(request.force());
        try (DirectoryLock lock = target.lock(started)) {
            for (Leftovers.Removed leftover : target.removeLeftovers(workDir.resolve("restore"))) {
                progress.phase("removed the leftover of an interrupted restore: " + leftover);
            }
            RestorePlanner.Plan plan = planner.plan(partition, request.target());
            plan.warning().ifPresent(warning -> progress.phase("warning: " + warning));
            String id = Long.toHexString(random.nextLong() & Long.MAX_VALUE);
            RestoreRun run = new RestoreRun(
                    partition,
                    plan.lsn(),
                    target.path(),
                    workDir.resolve("restore")
                            .resolve(partition + "-" + id + ProcessTag.current().suffix()),
                    target.staging(id));
            try {
                return restore(request, progress, plan, run, target, lock, id, started);
            } catch (SecurityException e) {
                throw new RestoreException(RestoreException.Kind.REPOSITORY, Errors.message(e), e);
            } catch (Interrupted | InterruptedIOException | ClosedByInterruptException e) {
                throw run.interrupted(e);
            } catch (IOException | RuntimeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw run.interrupted(e);
                }
                throw e;
            } finally {
                run.cleanUp();
            }
        }
    }

    private RestoreResult restore(
            RestoreRequest request,
            RestoreProgress progress,
            RestorePlanner.Plan plan,
            RestoreRun run,
            RestoreTargetDirectory target,
            DirectoryLock lock,
            String id,
            Instant started)
            throws IOException {
        PartitionId partition = request.partition();
        long lsn = plan.lsn();
        RestoreOutput output = outputs.apply(request.format());
        Digest expected = replayInto(output, request, progress, run, lsn);
        output.finish(run.staging());
        run.phase("reading the output back");
        checkInterrupt();
        progress.phase(
                "reading the written " + request.format().name().toLowerCase(Locale.ROOT) + " back into a digest");
        Digest written = output.readBack(run.staging(), lsn, algorithm, bucketBits);
        RestoreChecks.Outcome outcome = checks.check(
                partition, lsn, written, expected, plan.warning(), run.skippedSnapshots(), request.acceptArchive());
        boolean verified = outcome.verified(request.acceptArchive());
        run.phase("checking the output");
        checkInterrupt();
        Path location = verified
                ? target.install(run.staging(), request.force(), lock, id)
                : target.keepUnverified(run.staging(), id);
        return new RestoreResult(
                partition.value(),
                request.target().toString(),
                lsn,
                written.itemCount(),
                written.rootHex(),
                verified,
                outcome.checks(),
                outcome.contradictions(),
                run.startLsn() > 0 ? Optional.of(run.startLsn()) : Optional.empty(),
                run.replayedBytes(),
                location,
                request.format(),
                Duration.between(started, clock.instant()));
    }

    /**
     * Starts the output from the newest usable snapshot at or below {@code lsn} (or empty), replays the archive to
     * exactly {@code lsn} and writes the output into the run's staging directory: the reference digest at {@code lsn}.
     */
    private Digest replayInto(
            RestoreOutput output, RestoreRequest request, RestoreProgress progress, RestoreRun run, long lsn)
            throws IOException {
        PartitionId partition = request.partition();
        ReferenceBuilder builder = new ReferenceBuilder(
                        repository, Optional.of(snapshots), 0, (SnapshotException e) -> {
                            run.skipped(Errors.message(e));
                            badSnapshots.accept(e);
                        })
                .withPrefetch(PREFETCH, run.work().resolve("prefetch"))
                .withProgress((reached, bytes) -> {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new Interrupted();
                    }
                    run.replayed(bytes);
                    progress.replayed(run.startLsn() + 1, lsn, reached, bytes);
                });
        progress.phase("choosing a starting point for " + partition + " at LSN " + lsn);
        try (ReferenceState reference = output.start(
                builder,
                run.work().resolve("reference"),
                run.staging(),
                partition,
                algorithm,
                bucketBits,
                lsn,
                request.rocksdbFormatVersion())) {
            run.startedAt(reference.lsn());
            run.phase("replaying LSNs " + (reference.lsn() + 1) + ".." + lsn);
            progress.phase((reference.lsn() > 0
                            ? "loaded snapshot at LSN " + reference.lsn()
                            : "no snapshot at or below LSN " + lsn + ": replaying from the start")
                    + "; replaying LSNs " + (reference.lsn() + 1) + ".." + lsn);
            try {
                builder.advance(reference, lsn, new TreeSet<>(), (l, s) -> {});
            } catch (ReferenceBuildException e) {
                throw new RestoreException(
                        RestoreException.Kind.REPOSITORY,
                        "restore of " + partition + " to LSN "
                                + lsn + " failed: " + e.getMessage()
                                + (e.getCause() instanceof UndecryptableObjectException
                                        ? ". Nothing was written. Configure the key it names (vigil keys check lists"
                                                + " every object that needs a missing key), or restore to LSN "
                                                + e.reached() + " or earlier."
                                        : ". Nothing was written. Put the missing or damaged segment back from a node"
                                                + " that still holds it (its daemon archives it again), or restore to"
                                                + " LSN " + e.reached() + " or earlier."),
                        e);
            }
            Digest expected = reference.digest();
            run.phase("writing the output");
            checkInterrupt();
            progress.phase("writing " + expected.itemCount() + " items as "
                    + request.format().name().toLowerCase(Locale.ROOT));
            PrivateDirectories.create(run.staging()); // plaintext: owner-only, as the repository's keyring
            output.write(reference, run.staging());
            return expected;
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
}
