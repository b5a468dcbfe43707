package dev.vigil.core.store;

import java.time.Instant;

/**
 * A write-once lock to put on an object (S3 Object Lock): until {@code until}, the stored version can be neither
 * overwritten nor deleted. In {@link Mode#GOVERNANCE} mode a user with {@code s3:BypassGovernanceRetention} can
 * still remove it; in {@link Mode#COMPLIANCE} mode nobody can, not even the account's root user.
 */
public record RetentionLock(Mode mode, Instant until) {

    /** S3's two Object Lock retention modes. */
    public enum Mode {
        GOVERNANCE,
        COMPLIANCE
    }

    public RetentionLock {
        if (mode == null || until == null) {
            throw new IllegalArgumentException("a retention lock needs a mode and a date");
        }
    }
}
