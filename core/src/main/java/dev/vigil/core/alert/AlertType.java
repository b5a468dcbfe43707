package dev.vigil.core.alert;

/**
 * The catalogue of alerts. {@code docs/alerts.md} explains each one: what it means, likely causes, what to
 * do. The default severity is what a sink receives unless the raiser has a reason to differ.
 */
public enum AlertType {
    /** Two replicas archived different bytes for the same LSN range. */
    WAL_DIVERGENCE(Severity.CRITICAL),
    /** A local sealed segment violates the format; it is not archived. */
    SEGMENT_CORRUPT(Severity.CRITICAL),
    /** LSNs missing from the archive beyond the grace period, with no replica holding them. */
    ARCHIVE_GAP(Severity.CRITICAL),
    /** An archived object no longer reads back as written (bad checksum, damaged record), or differs from the node's copy. */
    ARCHIVE_CORRUPT(Severity.CRITICAL),
    /** Archived segments overlap with different content, or an object's name disagrees with its content. */
    ARCHIVE_INCONSISTENT(Severity.CRITICAL),
    /** Sealed segments wait longer than the configured RPO to be archived. */
    ARCHIVE_LAG(Severity.WARNING),
    /** The repository cannot be reached or refuses us (credentials, permissions, missing bucket). */
    STORE_UNAVAILABLE(Severity.CRITICAL),
    /** An uploaded object did not read back as written. */
    ARCHIVE_VERIFY_FAILED(Severity.CRITICAL),
    /** A replica's state differs from the reference built from the archive at the same LSN (its peers agree with the reference). */
    REPLICA_DIVERGED(Severity.CRITICAL),
    /** All replicas agree with each other at an LSN, but the reference built from the archive differs: the archive or the replay is wrong. */
    ARCHIVE_DIVERGED(Severity.CRITICAL),
    /** Replicas and reference disagree with no majority: nobody can say which state is right. */
    NO_MAJORITY(Severity.CRITICAL),
    /** A live replica's storage failed its own checksums (or could not be read) during a scrub. */
    REPLICA_BIT_ROT(Severity.CRITICAL),
    /** A WAL directory or a file in it cannot be read. */
    NODE_UNREADABLE(Severity.WARNING),
    /** A reference snapshot is missing a file, does not read back as written, or its items do not prove its digest. */
    SNAPSHOT_CORRUPT(Severity.CRITICAL),
    /** A scheduled restore drill could not restore a partition, or the restored state did not match the reference. */
    RESTORE_DRILL_FAILED(Severity.CRITICAL),
    /** A compliance report found at least one requirement unmet. */
    COMPLIANCE_FAILED(Severity.WARNING);

    private final Severity defaultSeverity;

    AlertType(Severity defaultSeverity) {
        this.defaultSeverity = defaultSeverity;
    }

    public Severity defaultSeverity() {
        return defaultSeverity;
    }
}
