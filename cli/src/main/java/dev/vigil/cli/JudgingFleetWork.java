package dev.vigil.cli;

import dev.vigil.core.PartitionId;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.Verdict;
import dev.vigil.fleet.FleetWork;
import dev.vigil.reference.Judge;
import java.io.IOException;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A fleet worker's per-partition verification: the judge, with every replica's pending reports judged in one replay
 * (no {@code onlyReplica}), from this worker's local reference when it has one, else from the newest snapshot. A
 * fresh {@link Judge} per task (judges are not thread safe; a worker runs several partitions at once).
 */
final class JudgingFleetWork implements FleetWork {

    private final Repository repository;
    private final Supplier<Judge> judges;

    JudgingFleetWork(Repository repository, Supplier<Judge> judges) {
        this.repository = repository;
        this.judges = judges;
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
}
