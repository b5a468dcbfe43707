package dev.vigil.core.config;

import java.time.Duration;

/**
 * Compliance reports ({@code report} section): what "compliant" means. The archive lag limit is
 * {@code archive.rpo}.
 *
 * @param period               a report covers this period up to its creation
 * @param maxVerificationAge   every replica must have a clean verdict no older than this
 * @param drillEvery           at least one restore drill must have passed within this period
 */
public record ReportConfig(Duration period, Duration maxVerificationAge, Duration drillEvery) {

    public static ReportConfig defaults() {
        return new ReportConfig(Duration.ofDays(7), Duration.ofDays(2), Duration.ofDays(8));
    }
}
