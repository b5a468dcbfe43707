package dev.vigil.core.repository;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.digest.DigestAccumulator;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.digest.DigestSummary;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scrub report's summary as it is on disk today ({@code golden/scrub-report.json}, written by the Vigil before the
 * typed model, its digest summary a map) read into the typed record (ids, the start time, a {@link DigestSummary}) and
 * published again as the same JSON.
 */
class ScrubReportGoldenTest {

    @TempDir
    Path dir;

    @Test
    void aScrubReportReadsTypedAndIsPublishedAgainUnchanged() throws Exception {
        JsonNode expected;
        try (InputStream in =
                Objects.requireNonNull(ScrubReportGoldenTest.class.getResourceAsStream("/golden/scrub-report.json"))) {
            expected = RepositoryJson.MAPPER.readTree(in);
        }
        ScrubReport report = RepositoryJson.MAPPER.treeToValue(expected, ScrubReport.class);
        assertThat(report.partition()).isEqualTo(PartitionId.of("users.eu_2"));
        assertThat(report.replica()).isEqualTo(ReplicaId.of("r2"));
        assertThat(report.startedAt()).isEqualTo(Instant.parse("2026-12-06T10:00:00.250Z"));

        // The same two items give the same digest: its summary is the one on disk.
        DigestAccumulator digest = new DigestAccumulator(DigestAlgorithm.XXH128, 8);
        digest.add("user/0001".getBytes(StandardCharsets.UTF_8), "alice".getBytes(StandardCharsets.UTF_8));
        digest.add("user/0002".getBytes(StandardCharsets.UTF_8), "bob".getBytes(StandardCharsets.UTF_8));
        assertThat(report.digest()).isEqualTo(digest.snapshot().summary());
        assertThat(report.digest())
                .isEqualTo(new DigestSummary(
                        "xxh128", 256, 2, "5127841b21374fdf79013dc990c8d2ac285080e519660e1edb2669c2abe38c4f"));

        ObjectStore store = ObjectStores.localDirectory(dir.resolve("repo"), Clock.systemUTC());
        Repository repository = new Repository(store);
        repository.publishScrubReport(report, digest.snapshot());
        ScrubEvidence read = repository.readScrubReport(report.partition(), new ReportAt(4100, report.replica()));
        assertThat(read.report()).isEqualTo(report);
        String key = RepositoryLayout.scrubKey(report.partition(), 4100, report.replica(), "json");
        try (InputStream in = store.get(key)) {
            assertThat(RepositoryJson.MAPPER.readTree(in)).isEqualTo(expected);
        }
    }
}
