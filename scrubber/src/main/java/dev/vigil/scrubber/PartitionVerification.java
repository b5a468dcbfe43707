package dev.vigil.scrubber;

import java.util.List;

/** What one verification run found for one partition. */
public record PartitionVerification(
        String partition,
        int objects,
        int verified,
        int notDue,
        int corrupt,
        long bytesVerified,
        List<String> gaps,
        List<String> findings,
        List<String> errors) {

    public PartitionVerification {
        gaps = List.copyOf(gaps);
        findings = List.copyOf(findings);
        errors = List.copyOf(errors);
    }
}
