package dev.vigil.core.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.store.PutRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonDocumentsTest {

    @TempDir
    Path dir;

    record Doc(String name, int size) {}

    private static void put(ObjectStore store, String key, String json) throws Exception {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        store.put(PutRequest.overwrite(
                key, ObjectBody.ofBytes(bytes), Checksum.of(ChecksumAlgorithm.CRC32C, bytes), Map.of()));
    }

    @Test
    void onlyFinishedJsonDocumentsAreReadAndFieldsFromANewerVigilAreIgnored() throws Exception {
        try (ObjectStore store = ObjectStores.localDirectory(dir, Clock.systemUTC())) {
            put(store, "docs/a.json", "{\"name\":\"a\",\"size\":1}");
            put(store, "docs/b.json", "{\"name\":\"b\",\"size\":2,\"addedLater\":true}");
            // What S3Proxy lists while a put is in progress: the key under a temporary name.
            put(store, "docs/c.json-0f3e2b1a-temporary", "{\"name\":\"c\"");

            assertThat(JsonDocuments.keys(store, "docs/")).containsExactly("docs/a.json", "docs/b.json");
            assertThat(JsonDocuments.readAll(store, "docs/", Doc.class))
                    .containsExactly(new Doc("a", 1), new Doc("b", 2));
            assertThat(JsonDocuments.read(store, "docs/gone.json", Doc.class))
                    .as("deleted meanwhile")
                    .isEmpty();
        }
    }

    @Test
    void aDamagedDocumentIsAnErrorNamingItsKeyAndWhatToDo() throws Exception {
        try (ObjectStore store = ObjectStores.localDirectory(dir, Clock.systemUTC())) {
            put(store, "docs/a.json", "{\"name\":\"a\",\"size\":1}");
            put(store, "docs/bad.json", "{\"name\":");

            assertThatThrownBy(() -> JsonDocuments.readAll(store, "docs/", Doc.class))
                    .hasMessageStartingWith("Doc docs/bad.json in " + store.describe() + " is unreadable or damaged: ")
                    .hasMessageEndingWith("; move it aside (it is evidence) and run the command again");
        }
    }

    @Test
    void aScrubReportFromANewerVigilStaysReadable() throws Exception {
        // Strict about unknown fields, as a plain mapper is: the record itself must ignore them.
        ScrubReport report = RepositoryJson.MAPPER
                .copy()
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .readValue("""
                {"partition":"p-0001","replica":"r1","appliedLsn":42,"digest":{},"items":3,"bytes":90,"durationMillis":5,
                 "startedAt":"2026-12-01T00:00:00Z","host":"h","checkpoint":"/c","writtenByAFutureVersion":true}
                """, ScrubReport.class);
        assertThat(report.appliedLsn()).isEqualTo(42);
    }
}
