package dev.vigil.core.config;

import java.time.Duration;

/**
 * How long the archive keeps what a restore needs ({@code retention} section).
 *
 * @param window        every point in time within this window before now stays restorable
 * @param keepSnapshots at least this many committed snapshots are kept per partition, however old
 * @param objectLock    reserved for writing archived objects with an S3 Object Lock retain-until date of
 *                      {@code window} plus {@code lockMargin}; not implemented, so the loader refuses {@code true}
 * @param lockMargin    extra lock time beyond the window (reserved with {@code objectLock})
 */
public record RetentionConfig(Duration window, int keepSnapshots, boolean objectLock, Duration lockMargin) {

    public RetentionConfig {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("retention.window must be positive, was " + window);
        }
        if (keepSnapshots < 0) {
            throw new IllegalArgumentException("retention.keep-snapshots must not be negative, was " + keepSnapshots);
        }
    }

    public static RetentionConfig defaults() {
        return new RetentionConfig(Duration.ofDays(7), 2, false, Duration.ofDays(1));
    }
}
