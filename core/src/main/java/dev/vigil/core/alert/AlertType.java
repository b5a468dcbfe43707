package dev.vigil.core.alert;

/**
 * The catalogue of alerts. {@code docs/alerts.md} explains each one: what it means, likely causes, what to
 * do. The default severity is what a sink receives unless the raiser has a reason to differ.
 *
 * <p>A type is either a {@linkplain Lifecycle#CONDITION condition}, which Vigil sees start and end (it is one incident
 * from its first alert until Vigil resolves it), or an {@linkplain Lifecycle#EVENT event}, which happened and is
 * reported once per key within the repeat window; nothing Vigil observes ends it.
 */
public enum AlertType {
    /** Two replicas archived different bytes for the same LSN range. */
    WAL_DIVERGENCE(Severity.CRITICAL, Lifecycle.EVENT),
    /** A local sealed segment violates the format; it is not archived. */
    SEGMENT_CORRUPT(Severity.CRITICAL, Lifecycle.EVENT),
    /** LSNs missing from the archive beyond the grace period, with no replica holding them. */
    ARCHIVE_GAP(Severity.CRITICAL, Lifecycle.CONDITION),
    /** An archived object no longer reads back as written (bad checksum, damaged record), or differs from the node's copy. */
    ARCHIVE_CORRUPT(Severity.CRITICAL, Lifecycle.CONDITION),
    /** Archived segments overlap with different content, or an object's name disagrees with its content. */
    ARCHIVE_INCONSISTENT(Severity.CRITICAL, Lifecycle.EVENT),
    /** Sealed segments wait longer than the configured RPO to be archived. */
    ARCHIVE_LAG(Severity.WARNING, Lifecycle.CONDITION),
    /** The repository cannot be reached or refuses us (credentials, permissions, missing bucket). */
    STORE_UNAVAILABLE(Severity.CRITICAL, Lifecycle.CONDITION),
    /** An uploaded object did not read back as written. */
    ARCHIVE_VERIFY_FAILED(Severity.CRITICAL, Lifecycle.EVENT),
    /** A replica's state differs from the reference built from the archive at the same LSN (its peers agree with the reference). */
    REPLICA_DIVERGED(Severity.CRITICAL, Lifecycle.CONDITION),
    /** All replicas agree with each other at an LSN, but the reference built from the archive differs: the archive or the replay is wrong. */
    ARCHIVE_DIVERGED(Severity.CRITICAL, Lifecycle.CONDITION),
    /** Replicas and reference disagree with no majority: nobody can say which state is right. */
    NO_MAJORITY(Severity.CRITICAL, Lifecycle.CONDITION),
    /** A live replica's storage failed its own checksums (or could not be read) during a scrub. */
    REPLICA_BIT_ROT(Severity.CRITICAL, Lifecycle.CONDITION),
    /** A WAL directory or a file in it cannot be read. */
    NODE_UNREADABLE(Severity.WARNING, Lifecycle.CONDITION),
    /** A reference snapshot is missing a file, does not read back as written, or its items do not prove its digest. */
    SNAPSHOT_CORRUPT(Severity.CRITICAL, Lifecycle.EVENT),
    /**
     * A snapshot merged from the previous one and the archive disagrees with the judge's reference at its LSN: it was not
     * published.
     */
    SNAPSHOT_MISMATCH(Severity.CRITICAL, Lifecycle.EVENT),
    /** A scheduled restore drill could not restore a partition, or the restored state did not match the reference. */
    RESTORE_DRILL_FAILED(Severity.CRITICAL, Lifecycle.CONDITION),
    /** A compliance report found at least one requirement unmet. */
    COMPLIANCE_FAILED(Severity.WARNING, Lifecycle.CONDITION),
    /** One of Vigil's own jobs has not been able to finish its work for a while. */
    JOB_FAILED(Severity.WARNING, Lifecycle.CONDITION),
    /** A fleet worker cannot reach the fleet's database: it takes no verification until it can. */
    FLEET_DATABASE_UNAVAILABLE(Severity.CRITICAL, Lifecycle.CONDITION),
    /** A local reference replica could not be opened; it was set aside and is rebuilt from a snapshot or the archive. */
    REFERENCE_REBUILT(Severity.WARNING, Lifecycle.EVENT),
    /**
     * Objects in the repository cannot be decrypted with the keys configured: a key they need is missing from the keyring
     * (or disabled in KMS), or does not open them, or their encryption header is damaged.
     */
    KEYS_UNAVAILABLE(Severity.CRITICAL, Lifecycle.CONDITION),
    /**
     * The repository is not what its tamper-evident log says: an object altered, inserted or removed behind the log's
     * back, or the log itself rewritten, cut or forked, or a checkpoint forged.
     */
    REPOSITORY_TAMPERED(Severity.CRITICAL, Lifecycle.CONDITION);

    /** Whether Vigil sees an alert's cause end. */
    public enum Lifecycle {
        /** Holds for a while: raised while it holds (one incident, updated), resolved when Vigil sees it end. */
        CONDITION,
        /** Happened once: reported once per key within the repeat window, never resolved by Vigil. */
        EVENT
    }

    private final Severity defaultSeverity;
    private final Lifecycle lifecycle;

    AlertType(Severity defaultSeverity, Lifecycle lifecycle) {
        this.defaultSeverity = defaultSeverity;
        this.lifecycle = lifecycle;
    }

    public Severity defaultSeverity() {
        return defaultSeverity;
    }

    public Lifecycle lifecycle() {
        return lifecycle;
    }

    /** Whether alerts of this type are incidents that Vigil resolves when their cause ends. */
    public boolean isCondition() {
        return lifecycle == Lifecycle.CONDITION;
    }
}
