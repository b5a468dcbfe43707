package dev.vigil.scrubber;

import java.util.List;

/**
 * What one verification run found for one partition.
 *
 * @param storedOnly encrypted objects that could not be decrypted here (no keyring configured, or its key missing) and
 *                   whose stored bytes were re-hashed and found intact; their records were not read
 */
public record PartitionVerification(
        String partition,
        int objects,
        int verified,
        int notDue,
        int corrupt,
        int storedOnly,
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
