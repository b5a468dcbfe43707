package dev.vigil.core.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

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

    /**
     * A lock until {@code until}, rounded up to a whole second: S3 keeps retention dates to the second, and some
     * servers refuse a date with a fraction (moto compared a nine-digit one wrongly). Rounding up never shortens a lock.
     */
    public RetentionLock {
        if (mode == null || until == null) {
            throw new IllegalArgumentException("a retention lock needs a mode and a date");
        }
        Instant whole = until.truncatedTo(ChronoUnit.SECONDS);
        until = whole.equals(until) ? until : whole.plusSeconds(1);
    }
}
