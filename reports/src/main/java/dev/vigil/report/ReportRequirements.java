package dev.vigil.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.vigil.core.config.EncryptionConfig;
import dev.vigil.core.config.VigilConfig;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What "compliant" means, from the configuration: the archive lag limit ({@code archive.rpo}), how fresh every
 * replica's last clean verdict must be ({@code report.max-verification-age}), how often a restore drill must pass
 * ({@code report.drill-every}), the restorable window ({@code retention.window}) and whether Object Lock is
 * required ({@code retention.object-lock}), and whether every object must be encrypted at rest ({@code encryption}
 * configured: {@code encryption} names its keys; absent from reports written before Vigil encrypted).
 */
public record ReportRequirements(
        @JsonSerialize(using = ToStringSerializer.class) Duration rpo,
        @JsonSerialize(using = ToStringSerializer.class) Duration maxVerificationAge,
        @JsonSerialize(using = ToStringSerializer.class) Duration drillEvery,
        @JsonSerialize(using = ToStringSerializer.class) Duration retentionWindow,
        boolean objectLockRequired,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String encryption) {

    public static ReportRequirements of(VigilConfig config) {
        return new ReportRequirements(
                config.archive().rpo(),
                config.report().maxVerificationAge(),
                config.report().drillEvery(),
                config.retention().window(),
                config.retention().objectLock(),
                config.encryption().map(EncryptionConfig::describeKeys).orElse(null));
    }

    /** Whether every object stored must be encrypted at rest. */
    public boolean encryptionRequired() {
        return encryption != null;
    }
}
