package dev.vigil.archiver;

import java.util.List;

/** What one archive pass did on this node. Findings need an operator; errors mean the pass could not finish its work. */
public record ArchiveReport(String started, long millis, List<PartitionReport> partitions, List<String> errors) {

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

    public int uploaded() {
        return partitions.stream().mapToInt(PartitionReport::uploaded).sum();
    }
}
