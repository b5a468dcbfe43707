package dev.vigil.core.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.PartitionId;
import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.store.PutRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drill records and acknowledgements as they are on disk today ({@code golden/drill-*.json}, {@code golden/ack-*.json},
 * written by the Vigil before the typed model) read into the typed records and written back as the same JSON.
 */
class DrillAndAckGoldenTest {

    private static final PartitionId PARTITION = PartitionId.of("users.eu_2");

    @TempDir
    Path dir;

    @Test
    void drillRecordsReadTypedAndWriteBackUnchanged() throws Exception {
        ObjectStore original = ObjectStores.localDirectory(dir.resolve("original"), Clock.systemUTC());
        put(
                original,
                RepositoryLayout.drillsPrefix(PARTITION) + "2026-11-29T04-30-00Z.json",
                golden("drill-failed.json"));
        put(
                original,
                RepositoryLayout.drillsPrefix(PARTITION) + "2026-12-06T04-30-12.456Z.json",
                golden("drill-passed.json"));

        List<DrillRecord> drills = new Repository(original).drills(PARTITION);

        assertThat(drills).extracting(DrillRecord::passed).containsExactly(false, true);
        DrillRecord failed = drills.get(0);
        DrillRecord passed = drills.get(1);
        assertThat(passed.partition()).hasToString(PARTITION.value());
        assertThat(passed.time()).isEqualTo(Instant.parse("2026-12-06T04:30:12.456Z"));
        assertThat(failed.error()).isEqualTo("LSNs 3801..3850 are missing from the archive");

        ObjectStore rewritten = ObjectStores.localDirectory(dir.resolve("rewritten"), Clock.systemUTC());
        Repository repository = new Repository(rewritten);
        assertThat(stored(rewritten, repository.writeDrill(passed, Instant.parse("2026-12-06T04:30:12.456Z"))))
                .isEqualTo(golden("drill-passed.json"));
        assertThat(stored(rewritten, repository.writeDrill(failed, Instant.parse("2026-11-29T04:30:00Z"))))
                .isEqualTo(golden("drill-failed.json"));
    }

    @Test
    void acknowledgementsReadTypedAndWriteBackUnchanged() throws Exception {
        for (String file : List.of("ack-partition.json", "ack-repository.json")) {
            JsonNode expected = golden(file);
            Acknowledgement ack = RepositoryJson.MAPPER.treeToValue(expected, Acknowledgement.class);
            ObjectStore store = ObjectStores.localDirectory(dir.resolve(file), Clock.systemUTC());
            Repository repository = new Repository(store);

            String key = repository.acknowledge(ack);

            assertThat(stored(store, key)).as(file).isEqualTo(expected);
            Map<String, List<Acknowledgement>> read = repository.acknowledgements(new UnreadableDocuments());
            assertThat(read.get(ack.findingId())).containsExactly(ack);
        }
        Acknowledgement partition =
                RepositoryJson.MAPPER.treeToValue(golden("ack-partition.json"), Acknowledgement.class);
        assertThat(partition.partition()).hasToString(PARTITION.value());
        assertThat(partition.at()).isEqualTo(Instant.parse("2026-12-06T09:00:00Z"));
        assertThat(RepositoryJson.MAPPER
                        .treeToValue(golden("ack-repository.json"), Acknowledgement.class)
                        .partition())
                .isNull();
    }

    @Test
    void aDrillRecordInANewerFormatIsNotReadAsIfItWereOld() throws Exception {
        ObjectNode newer = (ObjectNode) golden("drill-passed.json");
        newer.put("version", DrillRecord.VERSION + 1);
        ObjectStore store = ObjectStores.localDirectory(dir.resolve("newer"), Clock.systemUTC());
        String key = RepositoryLayout.drillsPrefix(PARTITION) + "2026-12-06T04-30-12.456Z.json";
        put(store, key, newer);
        assertThatThrownBy(() -> new Repository(store).drills(PARTITION))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(key)
                .hasMessageContaining("format version " + (DrillRecord.VERSION + 1));
    }

    private static JsonNode stored(ObjectStore store, String key) throws IOException {
        try (InputStream in = store.get(key)) {
            return RepositoryJson.MAPPER.readTree(in);
        }
    }

    private static void put(ObjectStore store, String key, JsonNode document) throws IOException {
        byte[] body = RepositoryJson.PRETTY.writeValueAsBytes(document);
        store.put(PutRequest.ifAbsent(
                key, ObjectBody.ofBytes(body), Checksum.of(ChecksumAlgorithm.CRC32C, body), Map.of()));
    }

    private static JsonNode golden(String file) throws IOException {
        try (InputStream in = Objects.requireNonNull(
                DrillAndAckGoldenTest.class.getResourceAsStream("/golden/" + file), "missing golden file " + file)) {
            return RepositoryJson.MAPPER.readTree(in);
        }
    }
}
