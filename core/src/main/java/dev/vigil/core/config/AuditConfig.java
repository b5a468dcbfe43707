package dev.vigil.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The repository's tamper-evident log ({@code audit:}): with it, every put and delete a process makes is logged.
 *
 * @param origin     the log's name in its signed checkpoints (unique to this repository)
 * @param signingKey the checkpoint signing key (a process with it can sign checkpoints); outside the repository
 * @param publicKeys the verifier keys an audit trusts ({@code name+hash+key}); the signing key's is added when known
 * @param grace      how long an object may be stored before it is logged (a writer in flight) before the audit calls it
 *                   inserted
 * @param operatorKeys the operator keys ({@code name+hash+key}) whose signed acknowledgements count in reports; when
 *                   any is set, an unsigned acknowledgement, or one signed by another key, does not count
 * @param witness    a second location every checkpoint is copied to, and audits read them from too
 */
public record AuditConfig(
        String origin,
        Optional<Path> signingKey,
        List<String> publicKeys,
        Duration grace,
        List<String> operatorKeys,
        Optional<RepositoryLocation> witness) {

    /** Default {@code grace}. */
    public static final Duration DEFAULT_GRACE = Duration.ofMinutes(15);

    public AuditConfig {
        publicKeys = List.copyOf(publicKeys);
        operatorKeys = List.copyOf(operatorKeys);
    }
}
