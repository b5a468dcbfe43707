package dev.vigil.core.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.LsnRange;
import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.repository.UnreadableDocuments;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.store.PutRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alert records as the repository holds them read back typed (type, severity, times, ids, status); a record written
 * before incidents had a status is a firing one; a record of a type this Vigil does not know, or without a time, is an
 * unreadable document named by its key while the others still read. The open-incidents file skips only the incident
 * it cannot read.
 */
class RecordedAlertTest {

    private static final Instant T = Instant.parse("2026-12-07T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void whatTheRepositorySinkWritesReadsBackTyped() throws Exception {
        ObjectStore store = ObjectStores.localDirectory(dir.resolve("repo"), Clock.fixed(T, ZoneOffset.UTC));
        Alert firing = Alert.of(AlertType.REPLICA_DIVERGED, T)
                .partition(PartitionId.of("p-0001"))
                .replica(ReplicaId.of("r2"))
                .lsnRange(new LsnRange(700, 750))
                .message("r2 lost a write")
                .action("repair r2")
                .detail("keys", "user/0042")
                .build();
        new RepositoryAlertSink(store, "node-a").publish(firing);
        new RepositoryAlertSink(store, "node-a").publish(firing.resolved(T.plusSeconds(60), "r2 verified CLEAN"));

        List<RecordedAlert> read = RecordedAlerts.between(store, T, T.plusSeconds(61), new UnreadableDocuments());

        assertThat(read).hasSize(2);
        RecordedAlert first = read.getFirst();
        assertThat(first.type()).isEqualTo(AlertType.REPLICA_DIVERGED);
        assertThat(first.severity()).isEqualTo(firing.severity());
        assertThat(first.time()).isEqualTo(T);
        assertThat(first.partitionId()).contains(PartitionId.of("p-0001"));
        assertThat(first.replicaId()).contains(ReplicaId.of("r2"));
        assertThat(first.firstLsn()).isEqualTo(700L);
        assertThat(first.details()).containsEntry("keys", "user/0042");
        assertThat(first.host()).isEqualTo("node-a");
        assertThat(first.status()).isEqualTo(AlertStatus.FIRING);
        assertThat(first.isResolution()).isFalse();
        RecordedAlert last = read.getLast();
        assertThat(last.isResolution()).isTrue();
        assertThat(last.endsAt()).isEqualTo(T.plusSeconds(60));
    }

    @Test
    void aRecordWithoutStatusIsFiringAndOneOfAnUnknownTypeIsUnreadableNamedByItsKey() throws Exception {
        ObjectStore store = ObjectStores.localDirectory(dir.resolve("repo"), Clock.fixed(T, ZoneOffset.UTC));
        String old = put(store, "ARCHIVE_LAG", """
                {"type":"ARCHIVE_LAG","severity":"WARNING","time":"2026-12-07T10:00:01Z","partition":"p-0001",
                 "message":"lagging","action":"look","key":"ARCHIVE_LAG|p-0001|","host":"node-a"}""");
        String newer = put(store, "QUANTUM_DRIFT", """
                {"type":"QUANTUM_DRIFT","severity":"CRITICAL","time":"2026-12-07T10:00:02Z",
                 "message":"?","action":"?","key":"QUANTUM_DRIFT||"}""");
        String timeless = put(store, "ARCHIVE_GAP", """
                {"type":"ARCHIVE_GAP","severity":"CRITICAL","message":"gap","action":"look","key":"ARCHIVE_GAP||"}""");
        UnreadableDocuments unreadable = new UnreadableDocuments();

        List<RecordedAlert> read = RecordedAlerts.between(store, T, T.plusSeconds(60), unreadable);

        assertThat(read).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AlertType.ARCHIVE_LAG);
            assertThat(a.status()).isNull();
            assertThat(a.isResolution()).isFalse();
            assertThat(a.replicaId()).isEmpty();
        });
        assertThat(old).isNotBlank();
        assertThat(unreadable.all())
                .extracting(UnreadableDocuments.Unreadable::key)
                .containsExactlyInAnyOrder(newer, timeless);
        assertThat(unreadable.all())
                .filteredOn(u -> u.key().equals(newer))
                .singleElement()
                .satisfies(u -> assertThat(u.reason()).contains(newer, "QUANTUM_DRIFT"));
    }

    @Test
    void anOpenIncidentOfAnUnknownTypeCostsOnlyItself() throws Exception {
        Path file = dir.resolve("open-incidents.json");
        Files.writeString(file, """
                {"version":1,"incidents":[
                 {"type":"QUANTUM_DRIFT","severity":"CRITICAL","time":"2026-12-07T10:00:00Z",
                  "startsAt":"2026-12-07T10:00:00Z","lastNotified":"2026-12-07T10:00:00Z",
                  "message":"?","action":"?","key":"QUANTUM_DRIFT||"},
                 {"type":"STORE_UNAVAILABLE","severity":"CRITICAL","time":"2026-12-07T10:05:00Z",
                  "startsAt":"2026-12-07T10:00:00Z","lastNotified":"2026-12-07T10:05:00Z","partition":"p-0001",
                  "message":"down","action":"look","key":"STORE_UNAVAILABLE|p-0001|"}]}""", StandardCharsets.UTF_8);

        List<OpenIncidents.Stored> loaded = OpenIncidents.file(file).load();

        assertThat(loaded).singleElement().satisfies(stored -> {
            assertThat(stored.alert().type()).isEqualTo(AlertType.STORE_UNAVAILABLE);
            assertThat(stored.alert().partition()).contains(PartitionId.of("p-0001"));
            assertThat(stored.alert().startsAt()).isEqualTo(T);
            assertThat(stored.lastNotified()).isEqualTo(T.plusSeconds(300));
        });
    }

    private static String put(ObjectStore store, String type, String json) throws Exception {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        String key = RepositoryLayout.alertKey(T, type, type + "|node-a");
        store.put(PutRequest.overwrite(
                key, ObjectBody.ofBytes(bytes), Checksum.of(ChecksumAlgorithm.CRC32C, bytes), Map.of()));
        return key;
    }
}
