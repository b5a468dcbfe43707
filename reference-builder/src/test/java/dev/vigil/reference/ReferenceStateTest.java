package dev.vigil.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.PartitionId;
import dev.vigil.core.digest.Digest;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.wal.WalRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReferenceStateTest {

    @TempDir
    Path work;

    private final PartitionId partition = PartitionId.of("p-1");

    private static WalRecord put(long lsn, String key, String value) {
        return WalRecord.put(lsn, 0, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aSavedReferenceContinuesWhereItStoppedWithItsDigest() throws Exception {
        Digest saved;
        try (ReferenceState reference = ReferenceState.open(work, partition, DigestAlgorithm.XXH128, 6)) {
            reference.applyAll(List.of(put(1, "a", "1"), put(2, "b", "2"), put(3, "a", "3")));
            reference.save();
            saved = reference.digest();
        }
        try (ReferenceState reopened = ReferenceState.open(work, partition, DigestAlgorithm.XXH128, 6)) {
            assertThat(reopened.lsn()).isEqualTo(3);
            assertThat(reopened.digest()).isEqualTo(saved);
            reopened.apply(WalRecord.delete(4, 0, "b".getBytes(StandardCharsets.UTF_8)));
            assertThat(reopened.digest().itemCount()).isEqualTo(1);
        }
    }

    @Test
    void aReferenceChangedWithoutSavingIsDiscardedNotTrusted() throws Exception {
        try (ReferenceState reference = ReferenceState.open(work, partition, DigestAlgorithm.XXH128, 6)) {
            reference.applyAll(List.of(put(1, "a", "1"), put(2, "b", "2")));
            reference.save();
        }
        try (ReferenceState interrupted = ReferenceState.open(work, partition, DigestAlgorithm.XXH128, 6)) {
            interrupted.apply(put(3, "c", "3"));
            // closed without save(): as if the process died mid-build
        }
        try (ReferenceState reopened = ReferenceState.open(work, partition, DigestAlgorithm.XXH128, 6)) {
            assertThat(reopened.lsn()).isZero();
            assertThat(reopened.digest().itemCount()).isZero();
        }
    }

    @Test
    void recordsMustFollowTheReferencesLsn() throws Exception {
        try (ReferenceState reference = ReferenceState.open(work, partition, DigestAlgorithm.XXH128, 6)) {
            assertThatThrownBy(() -> reference.apply(put(2, "a", "1")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("reference of p-1 is at LSN 0; cannot apply 2");
        }
    }

    @Test
    void aDiscardedReferenceStartsAgainFromLsnZero() throws Exception {
        try (ReferenceState reference = ReferenceState.open(work, partition, DigestAlgorithm.XXH128, 6)) {
            reference.apply(put(1, "a", "1"));
            reference.save();
        }
        ReferenceState.discard(work, partition);
        try (ReferenceState reopened = ReferenceState.open(work, partition, DigestAlgorithm.XXH128, 6)) {
            assertThat(reopened.lsn()).isZero();
        }
    }
}
