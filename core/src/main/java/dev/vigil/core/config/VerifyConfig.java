package dev.vigil.core.config;

import java.time.Duration;

/**
 * Archive verification ({@code verify} section).
 *
 * @param period every archived object is re-read at least once per period; each run reads what is due
 */
public record VerifyConfig(Duration period) {

    public static VerifyConfig defaults() {
        return new VerifyConfig(Duration.ofDays(7));
    }
}
