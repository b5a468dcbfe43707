package dev.vigil.restore;

import dev.vigil.core.Errors;
import dev.vigil.core.PartitionId;
import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.AlertPublisher;
import dev.vigil.core.alert.AlertResolution;
import dev.vigil.core.alert.AlertType;
import dev.vigil.core.config.RetentionConfig;
import dev.vigil.core.io.DurableFiles;
import dev.vigil.core.io.Leftovers;
import dev.vigil.core.io.ProcessTag;
import dev.vigil.core.io.SafePaths;
import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.repository.DrillRecord;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.RestorableRange;
import dev.vigil.replay.snapshot.Snapshots;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A restore drill: restores a randomly chosen partition at a random LSN inside the retention window into a
 * temporary directory, verifies it, records the outcome under {@code partitions/<pid>/drills/<time>.json}, and
 * raises {@code RESTORE_DRILL_FAILED} when it did not restore or did not verify. Thread safe (one drill per call).
 */
public final class RestoreDrill {

    private static final Logger LOG = LoggerFactory.getLogger(RestoreDrill.class);

    private final Repository repository;
    private final Restorer restorer;
    private final Snapshots snapshots;
    private final RetentionConfig retention;
    private final Path workDir;
    private final AlertPublisher alerts;
    private final Clock clock;
    private final RandomGenerator random;

    public RestoreDrill(
            Repository repository,
            Restorer restorer,
            Snapshots snapshots,
            RetentionConfig retention,
            Path workDir,
            AlertPublisher alerts,
            Clock clock,
            RandomGenerator random) {
        this.repository = repository;
        this.restorer = restorer;
        this.snapshots = snapshots;
        this.retention = retention;
        this.workDir = workDir;
        this.alerts = alerts;
        this.clock = clock;
        this.random = random;
    }

    /** Drills one random partition; empty when the repository holds no archive yet. */
    public Optional<DrillRecord> run() throws IOException {
        List<PartitionId> partitions = new ArrayList<>(repository.partitionsWithArchive());
        if (partitions.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(run(partitions.get(random.nextInt(partitions.size()))));
    }

    /** Drills {@code partition} at a random LSN of its restorable window. */
    public DrillRecord run(PartitionId partition) throws IOException {
        Instant started = clock.instant();
        long lsn = 0;
        DrillRecord record;
        Path drills = workDir.resolve("drills");
        for (Leftovers.Removed leftover : Leftovers.sweep(drills, name -> true)) {
            LOG.info("removed the leftover of an interrupted restore drill: {}", leftover);
        }
        Path target = drills.resolve(partition + "-" + started.toEpochMilli()
                        + ProcessTag.current().suffix())
                .resolve("restored");
        try {
            lsn = pickLsn(partition);
            RestoreResult result = restorer.restore(
                    new RestoreRequest(partition, new RestoreTarget.ToLsn(lsn), target, RestoreFormat.ROCKSDB, false),
                    RestoreProgress.SILENT);
            record = new DrillRecord(
                    DrillRecord.VERSION,
                    partition,
                    lsn,
                    result.verified(),
                    started,
                    Duration.between(started, clock.instant()).toMillis(),
                    result.items(),
                    result.digestRoot(),
                    result.checks(),
                    result.verified()
                            ? null
                            : result.contradictions().isEmpty()
                                    ? "the restored state did not match the reference digest"
                                    : "the archive's state is contradicted: "
                                            + String.join("; ", result.contradictions()));
        } catch (IOException | RuntimeException e) {
            if (e instanceof RestoreException stopped && stopped.kind() == RestoreException.Kind.INTERRUPTED) {
                throw stopped; // stopped, not failed: no record, the next drill is due as before
            }
            record = new DrillRecord(
                    DrillRecord.VERSION,
                    partition,
                    lsn,
                    false,
                    started,
                    Duration.between(started, clock.instant()).toMillis(),
                    0,
                    null,
                    List.of(),
                    Errors.message(e));
        } finally {
            DurableFiles.deleteRecursively(SafePaths.parentOf(target));
        }
        repository.writeDrill(record, started);
        if (record.passed()) {
            alerts.resolve(AlertResolution.of(
                    AlertType.RESTORE_DRILL_FAILED,
                    partition,
                    clock.instant(),
                    "restore drill of partition " + partition + " at LSN " + lsn + " passed"));
        } else {
            alerts.raise(Alert.of(AlertType.RESTORE_DRILL_FAILED, clock.instant())
                    .partition(partition)
                    .message(
                            "restore drill of partition " + partition + " at LSN " + lsn + " failed: " + record.error())
                    .action("run 'vigil restore --partition " + partition + " --to-lsn " + lsn
                            + " --target <dir>' to see"
                            + " it fail in full; a restore that fails now would fail when it is needed")
                    .detail("lsn", Long.toString(lsn))
                    .build());
        }
        return record;
    }

    /** A random LSN between the oldest restorable point of the window and the end of the archive. */
    private long pickLsn(PartitionId partition) throws IOException {
        List<ArchivedSegment> archived = repository.archive(partition).segments();
        Set<Long> committed = new HashSet<>();
        snapshots.list(partition).forEach(r -> committed.add(r.lsn()));
        RetentionPolicy.Plan plan = new RetentionPolicy(retention.window(), retention.keepSnapshots())
                .plan(archived, committed, clock.instant());
        // The whole claimed window, not only its contiguous start: a drill exists to find the gap a restore would hit.
        long end = archived.stream().mapToLong(s -> s.range().last()).max().orElse(0);
        long oldest = RestorableRange.of(archived, committed)
                .map(RestorableRange::oldestLsn)
                .orElse(0L);
        long from = Math.max(1, Math.max(oldest, plan.windowStartLsn()));
        if (end < from) {
            throw new RestoreException(
                    RestoreException.Kind.REPOSITORY,
                    "partition " + partition + " has no restorable LSN (archive ends at " + end + ")",
                    null);
        }
        return from + random.nextLong(end - from + 1);
    }
}
