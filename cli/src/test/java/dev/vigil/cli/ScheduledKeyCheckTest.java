package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.AlertType;
import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.store.PutRequest;
import dev.vigil.encryption.EncryptingObjectStore;
import dev.vigil.encryption.Keyring;
import dev.vigil.encryption.KeyringKeys;
import dev.vigil.testkit.alert.RecordingAlerts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduled key check: a key dropped from the keyring is a {@code KEYS_UNAVAILABLE} alert naming the key and the
 * objects that need it, on the day it happens, not at the restore that needs it; the first check after the key is back
 * resolves it; without encryption there is nothing to check and nothing is claimed.
 */
class ScheduledKeyCheckTest {

    private static final Instant T0 = Instant.parse("2026-12-07T08:00:00Z");

    @TempDir
    Path dir;

    private final SecureRandom random = new SecureRandom();

    @Test
    void aKeyDroppedFromTheKeyringIsAnAlertNamingItsObjectsUntilItIsBack() throws Exception {
        ObjectStore raw = ObjectStores.localDirectory(dir.resolve("repo"), Clock.systemUTC());
        Keyring k1 = Keyring.create("k1", T0, random);
        for (int i = 0; i < 12; i++) {
            put(encrypting(raw, k1), "partitions/p-1/wal/" + String.format("%02d", i) + ".seg");
        }
        Keyring both = k1.rotate("k2", T0.plusSeconds(60), random);
        put(encrypting(raw, both), "partitions/p-1/wal/99.seg");
        Keyring onlyK2 =
                new Keyring(Keyring.VERSION, "k2", List.of(both.key("k2").orElseThrow()));
        RecordingAlerts alerts = new RecordingAlerts();

        ScheduledKeyCheck.Outcome missing =
                new ScheduledKeyCheck(Optional.of(encrypting(raw, onlyK2)), alerts, Clock.systemUTC()).run();

        assertThat(missing.problems()).isEqualTo(12);
        assertThat(missing.objects()).isEqualTo(13);
        Alert alert = alerts.ofType(AlertType.KEYS_UNAVAILABLE).getFirst();
        assertThat(alert.message())
                .contains("12 object(s)", "cannot be decrypted", "(key k1)", "partitions/p-1/wal/00.seg", ", …")
                .doesNotContain("99.seg");
        assertThat(alert.details()).containsEntry("keys", "k1").containsEntry("objects", "12");
        assertThat(alert.action()).contains("vigil keys check");
        assertThat(alerts.resolutions()).isEmpty();

        alerts.clear();
        ScheduledKeyCheck.Outcome back =
                new ScheduledKeyCheck(Optional.of(encrypting(raw, both)), alerts, Clock.systemUTC()).run();
        assertThat(back.problems()).isZero();
        assertThat(alerts.all()).isEmpty();
        assertThat(alerts.resolutions()).singleElement().satisfies(r -> {
            assertThat(r.type()).isEqualTo(AlertType.KEYS_UNAVAILABLE);
            assertThat(r.because()).contains("every one of 13 object(s) opens");
        });
    }

    @Test
    void withoutEncryptionNothingIsCheckedAndNothingClaimed() throws Exception {
        RecordingAlerts alerts = new RecordingAlerts();
        ScheduledKeyCheck.Outcome outcome = new ScheduledKeyCheck(Optional.empty(), alerts, Clock.systemUTC()).run();
        assertThat(outcome.configured()).isFalse();
        assertThat(outcome.summary()).contains("not configured");
        assertThat(alerts.all()).isEmpty();
        assertThat(alerts.resolutions()).isEmpty();
    }

    private EncryptingObjectStore encrypting(ObjectStore raw, Keyring keyring) {
        return new EncryptingObjectStore(
                raw, new KeyringKeys(keyring, dir.resolve("keyring.json"), random), "r-1", dir.resolve("scratch"));
    }

    private static void put(ObjectStore store, String key) throws Exception {
        byte[] bytes = ("records of " + key).getBytes(StandardCharsets.UTF_8);
        store.put(PutRequest.ifAbsent(
                key, ObjectBody.ofBytes(bytes), Checksum.of(ChecksumAlgorithm.CRC32C, bytes), Map.of()));
    }
}
