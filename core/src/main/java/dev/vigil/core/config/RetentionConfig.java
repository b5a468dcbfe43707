package dev.vigil.core.config;

import dev.vigil.core.store.RetentionLock;
import java.time.Duration;

/**
 * How long the archive keeps what a restore needs ({@code retention} section).
 *
 * @param window        every point in time within this window before now stays restorable
 * @param keepSnapshots at least this many committed snapshots are kept per partition, however old
 * @param objectLock    write archived segments, snapshots and reports with an S3 Object Lock retained until
 *                      {@code window} plus {@code lockMargin} after they are stored (the bucket must have Object
 *                      Lock enabled); retention then leaves locked objects alone until their date passes
 * @param lockMargin    extra lock time beyond the window
 * @param lockMode      the Object Lock mode: governance (removable with a bypass permission) or compliance
 */
public record RetentionConfig(
        Duration window, int keepSnapshots, boolean objectLock, Duration lockMargin, RetentionLock.Mode lockMode) {

    public RetentionConfig {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("retention.window must be positive, was " + window);
        }
        if (keepSnapshots < 0) {
            throw new IllegalArgumentException("retention.keep-snapshots must not be negative, was " + keepSnapshots);
        }
    }

    public static RetentionConfig defaults() {
        return new RetentionConfig(Duration.ofDays(7), 2, false, Duration.ofDays(1), RetentionLock.Mode.GOVERNANCE);
    }

    /** The defaults with a different window and snapshot count (tests, tools). */
    public static RetentionConfig of(Duration window, int keepSnapshots) {
        return new RetentionConfig(window, keepSnapshots, false, Duration.ofDays(1), RetentionLock.Mode.GOVERNANCE);
    }
}
