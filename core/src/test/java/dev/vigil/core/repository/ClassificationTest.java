package dev.vigil.core.repository;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.ReplicaId;
import dev.vigil.core.digest.Digest;
import dev.vigil.core.digest.DigestAccumulator;
import dev.vigil.core.digest.DigestAlgorithm;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The classification table of docs/architecture.md, case by case. */
class ClassificationTest {

    private static Digest state(String... items) {
        DigestAccumulator accumulator = new DigestAccumulator(DigestAlgorithm.XXH128, 4);
        for (String item : items) {
            accumulator.add(item.getBytes(StandardCharsets.UTF_8), new byte[] {1});
        }
        return accumulator.snapshot();
    }

    private static Map<ReplicaId, Verdict.Status> classify(Digest reference, Digest... replicas) {
        Map<ReplicaId, Digest> reports = new LinkedHashMap<>();
        for (int i = 0; i < replicas.length; i++) {
            reports.put(ReplicaId.of("r" + (i + 1)), replicas[i]);
        }
        return Classification.classify(reference, reports);
    }

    private static Map<ReplicaId, Verdict.Status> expect(Verdict.Status... statuses) {
        Map<ReplicaId, Verdict.Status> expected = new LinkedHashMap<>();
        for (int i = 0; i < statuses.length; i++) {
            expected.put(ReplicaId.of("r" + (i + 1)), statuses[i]);
        }
        return expected;
    }

    @Test
    void theTableOfVerdicts() {
        Digest ref = state("a", "b");
        Digest other = state("a");
        Digest third = state("b");
        Verdict.Status clean = Verdict.Status.CLEAN;
        Verdict.Status replica = Verdict.Status.REPLICA_DIVERGED;
        Verdict.Status archive = Verdict.Status.ARCHIVE_DIVERGED;
        Verdict.Status none = Verdict.Status.NO_MAJORITY;

        assertThat(classify(ref, ref, ref, ref)).isEqualTo(expect(clean, clean, clean));
        assertThat(classify(ref, ref, other, ref)).as("one off among three").isEqualTo(expect(clean, replica, clean));
        assertThat(classify(ref, ref, other)).as("one off among two").isEqualTo(expect(clean, replica));
        assertThat(classify(ref, other)).as("a single report that differs").isEqualTo(expect(replica));
        assertThat(classify(ref, other, other, other))
                .as("all agree against the reference")
                .isEqualTo(expect(archive, archive, archive));
        assertThat(classify(ref, other, other)).isEqualTo(expect(archive, archive));
        assertThat(classify(ref, ref, other, other))
                .as("two against one and the reference")
                .isEqualTo(expect(none, none, none));
        assertThat(classify(ref, other, third)).as("everyone different").isEqualTo(expect(none, none));
    }
}
