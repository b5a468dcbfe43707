package dev.vigil.cli;

import dev.vigil.core.PartitionId;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.Verdict;
import dev.vigil.fleet.FleetWork;
import dev.vigil.reference.Judge;
import dev.vigil.replay.ReferenceBuilder;
import dev.vigil.scrubber.ArchiveVerifier;
import dev.vigil.scrubber.VerifyReport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A fleet worker's per-partition verification: the judge, with every replica's pending reports judged in one replay
 * (no {@code onlyReplica}), from this worker's local reference when it has one, else from the newest hash-state
 * checkpoint or snapshot; the reference's size is recorded for {@code /metrics}. Its snapshots are a task of their own,
 * merged at the newest hash-state checkpoint. A fresh {@link Judge} per task (judges are not thread safe; a worker runs
 * several partitions at once).
 */
final class JudgingFleetWork implements FleetWork {

    private final Repository repository;
    private final Supplier<Judge> judges;
    private final ArchiveVerifier verifier;
    private final ReferenceBuilder snapshots;
    private final ReferenceSizes sizes;

    JudgingFleetWork(
            Repository repository,
            Supplier<Judge> judges,
            ArchiveVerifier verifier,
            ReferenceBuilder snapshots,
            ReferenceSizes sizes) {
        this.repository = repository;
        this.judges = judges;
        this.verifier = verifier;
        this.snapshots = snapshots;
        this.sizes = sizes;
    }

    @Override
    public Set<PartitionId> partitions() throws IOException {
        return repository.partitionsWithArchiveOrScrubReports();
    }

    /**
     * @throws IOException also when the judge stopped before every pending report (the archive does not reach its LSN
     *                     yet, or a gap or damaged object stops the replay): the verdicts written so far stay, and the
     *                     task counts as failing until the rest is judged, so the fleet never reports the partition
     *                     verified while a report waits
     */
    @Override
    public String verifyPartition(PartitionId partition) throws IOException {
        Judge.Outcome outcome = judges.get().judge(partition);
        sizes.record(List.of(outcome));
        long notClean = outcome.verdicts().stream()
                .filter(v -> v.status() != Verdict.Status.CLEAN)
                .count();
        String written = outcome.verdicts().size() + " verdict(s), " + notClean + " not clean";
        if (outcome.stoppedAt().isPresent()) {
            throw new IOException(written + "; the remaining reports of " + partition.value()
                    + " cannot be judged yet: " + outcome.stoppedAt().get());
        }
        return written;
    }

    /**
     * @throws IOException when the snapshot could not be written (a gap or a damaged object, named): retried later; one
     *                     that disagrees with the checkpoint is an alert and fails the task too, so it is tried again
     */
    @Override
    public String snapshotPartition(PartitionId partition) throws IOException {
        return snapshots
                .snapshotAtNewestCheckpoint(partition)
                .map(manifest -> "snapshot at LSN " + manifest.lsn() + ": " + manifest.items() + " items in "
                        + manifest.files().size() + " file(s)")
                .orElse("no hash-state checkpoint newer than the newest snapshot");
    }

    /**
     * @throws IOException when the verification could not finish (the repository failed): the objects it did not
     *                     reach are not verified, so the task fails and is retried
     */
    @Override
    public String verifyArchive(PartitionId partition) throws IOException {
        VerifyReport report = verifier.verify(Optional.of(partition), OptionalDouble.empty());
        if (report.hasErrors()) {
            List<String> errors = new ArrayList<>(report.errors());
            report.partitions().forEach(p -> errors.addAll(p.errors()));
            throw new IOException("the archive of " + partition.value() + " could not be verified: "
                    + String.join("; ", errors) + "; the objects not reached are verified at the task's next try");
        }
        if (report.nothingToVerify()) {
            return "nothing archived";
        }
        return report.summary();
    }
}
