package dev.vigil.report;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.vigil.core.config.VigilConfig;
import java.time.Duration;

/**
 * What "compliant" means, from the configuration: the archive lag limit ({@code archive.rpo}), how fresh every
 * replica's last clean verdict must be ({@code report.max-verification-age}), how often a restore drill must pass
 * ({@code report.drill-every}), the restorable window ({@code retention.window}) and whether Object Lock is
 * required ({@code retention.object-lock}).
 */
public record ReportRequirements(
        @JsonSerialize(using = ToStringSerializer.class) Duration rpo,
        @JsonSerialize(using = ToStringSerializer.class) Duration maxVerificationAge,
        @JsonSerialize(using = ToStringSerializer.class) Duration drillEvery,
        @JsonSerialize(using = ToStringSerializer.class) Duration retentionWindow,
        boolean objectLockRequired) {

    public static ReportRequirements of(VigilConfig config) {
        return new ReportRequirements(
                config.archive().rpo(),
                config.report().maxVerificationAge(),
                config.report().drillEvery(),
                config.retention().window(),
                config.retention().objectLock());
    }
}
