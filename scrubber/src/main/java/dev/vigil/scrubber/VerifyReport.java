package dev.vigil.scrubber;

import java.util.List;

/** What one archive verification run did. */
public record VerifyReport(String started, long millis, List<PartitionVerification> partitions, List<String> errors) {

    public VerifyReport {
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

    /** Whether there was nothing to verify: no partition, or no archived object in any (never a pass). */
    public boolean nothingToVerify() {
        return errors.isEmpty()
                && partitions.stream().mapToInt(PartitionVerification::objects).sum() == 0;
    }

    /** Findings over all partitions. */
    public int findingCount() {
        return partitions.stream().mapToInt(p -> p.findings().size()).sum();
    }

    /** One line for logs and job outcomes: objects re-read, bytes, findings. */
    public String summary() {
        int verified =
                partitions.stream().mapToInt(PartitionVerification::verified).sum();
        return verified + " object(s) re-read (" + bytesVerified() + " bytes), " + findingCount() + " finding(s)";
    }

    public long bytesVerified() {
        return partitions.stream()
                .mapToLong(PartitionVerification::bytesVerified)
                .sum();
    }
}
