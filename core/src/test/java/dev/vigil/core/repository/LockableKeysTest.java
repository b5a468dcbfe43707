package dev.vigil.core.repository;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.LsnRange;
import dev.vigil.core.PartitionId;
import org.junit.jupiter.api.Test;

/**
 * What retention.object-lock locks: archived segments, snapshot files, reports, and the tamper-evident log's entries and
 * checkpoints (so that the evidence of history is as write-once as the history); not the objects Vigil replaces (states,
 * claims, verdicts' indexes).
 */
class LockableKeysTest {

    @Test
    void historyAndItsEvidenceAreLockedWhatIsReplacedIsNot() {
        PartitionId p = PartitionId.of("p-1");
        assertThat(RepositoryLayout.lockable(RepositoryLayout.walKey(p, new LsnRange(1, 100))))
                .isTrue();
        assertThat(RepositoryLayout.lockable("reports/2026-12-07/compliance-20261207T060000Z.json"))
                .isTrue();
        assertThat(RepositoryLayout.lockable("log/entries/00000000000000000042"))
                .isTrue();
        assertThat(RepositoryLayout.lockable("log/checkpoints/00000000000000000043"))
                .isTrue();
        assertThat(RepositoryLayout.lockable("reports/2026-12-07/060000.claim")).isFalse();
        assertThat(RepositoryLayout.lockable(RepositoryLayout.verifyStateKey(p)))
                .isFalse();
    }
}
