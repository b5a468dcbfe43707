package dev.vigil.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetentionLockTest {

    @Test
    void aLockDateIsRoundedUpToAWholeSecondNeverDown() {
        assertThat(new RetentionLock(RetentionLock.Mode.GOVERNANCE, Instant.parse("2026-01-01T00:00:00.123456789Z"))
                        .until())
                .isEqualTo(Instant.parse("2026-01-01T00:00:01Z"));
        assertThat(new RetentionLock(RetentionLock.Mode.COMPLIANCE, Instant.parse("2026-01-01T00:00:07Z")).until())
                .isEqualTo(Instant.parse("2026-01-01T00:00:07Z"));
    }
}
