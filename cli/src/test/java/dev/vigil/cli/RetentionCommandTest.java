package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.restore.Retention;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetentionCommandTest {

    @Test
    void objectsKeptBecauseTheyAreLockedAreSaidSoWithTheirDates() {
        assertThat(RetentionCommand.keptLocked(List.of())).isEmpty();
        assertThat(RetentionCommand.keptLocked(List.of(
                        new Retention.Locked("partitions/p/wal/a.seg", Instant.parse("2026-12-09T10:00:00Z")),
                        new Retention.Locked("partitions/p/wal/b.seg", Instant.parse("2026-12-08T10:00:00Z")))))
                .isEqualTo(", kept 2 locked (until 2026-12-08T10:00:00Z..2026-12-09T10:00:00Z)");
        assertThat(RetentionCommand.keptLocked(
                        List.of(new Retention.Locked("partitions/p/wal/a.seg", Instant.parse("2026-12-09T10:00:00Z")))))
                .isEqualTo(", kept 1 locked (until 2026-12-09T10:00:00Z)");
    }
}
