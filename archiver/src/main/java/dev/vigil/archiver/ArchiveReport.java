package dev.vigil.archiver;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one archive pass did on this node. Findings need an operator; errors mean the pass could not finish its work.
 *
 * @param unreachableStore why the repository could not be reached at all in this pass (every request to it failed);
 *                         {@code null} when it answered, or was not asked
 */
public record ArchiveReport(
        String started,
        long millis,
        List<PartitionReport> partitions,
        List<String> errors,
        @Nullable String unreachableStore) {

    public ArchiveReport {
        partitions = List.copyOf(partitions);
        errors = List.copyOf(errors);
    }

    public boolean hasFindings() {
        return partitions.stream().anyMatch(p -> !p.findings().isEmpty());
    }

    public boolean hasErrors() {
        return !errors.isEmpty()
                || partitions.stream().anyMatch(p -> !p.errors().isEmpty());
    }

    /** Whether the repository could not be reached at all: the lag it causes is a consequence, not the news. */
    public boolean storeUnreachable() {
        return unreachableStore != null;
    }

    public int uploaded() {
        return partitions.stream().mapToInt(PartitionReport::uploaded).sum();
    }
}
