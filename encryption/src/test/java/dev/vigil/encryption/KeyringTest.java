package dev.vigil.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A keyring is written owner-only, read back as written, refused when others can read it, and checked whole. */
class KeyringTest {

    private static final Instant T0 = Instant.parse("2026-12-07T05:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aSavedKeyringIsOwnerOnlyAndReadsBackWithEveryKeyAfterARotation() throws Exception {
        Path file = dir.resolve("keys/keyring.json");
        Keyring first = Keyring.create("k1", T0, new SecureRandom());
        Keyring rotated = first.rotate("k2", T0.plusSeconds(60), new SecureRandom());

        rotated.save(file);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        Keyring read = Keyring.load(file);
        assertThat(read.active()).isEqualTo("k2");
        assertThat(read.keys()).extracting(Keyring.Key::id).containsExactly("k1", "k2");
        assertThat(read.key("k1").orElseThrow().material())
                .isEqualTo(first.key("k1").orElseThrow().material());
        assertThat(read.toString()).doesNotContain(read.key("k1").orElseThrow().material());
    }

    @Test
    void aKeyringOthersCanReadIsRefusedNamingTheFileAndTheFix() throws Exception {
        Path file = dir.resolve("keyring.json");
        Keyring.create("k1", T0, new SecureRandom()).save(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> Keyring.load(file))
                .isInstanceOf(Keyring.KeyringException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("rw-r--r--")
                .hasMessageContaining("chmod 600");
    }

    @Test
    void aMissingOrMalformedKeyringIsNamedWithWhatToDo() throws Exception {
        assertThatThrownBy(() -> Keyring.load(dir.resolve("none.json")))
                .hasMessageContaining("none.json")
                .hasMessageContaining("vigil keys create");

        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, """
                {"version":1,"active":"k3","keys":[
                  {"id":"k1","created":"2026-12-07T05:00:00Z","material":"c2hvcnQ="},
                  {"id":"k1","created":"2026-12-07T05:00:00Z","material":"not base64!"}]}""");
        Files.setPosixFilePermissions(bad, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> Keyring.load(bad))
                .hasMessageContaining("key k1 is 5 bytes, not 32")
                .hasMessageContaining("key id k1 appears twice")
                .hasMessageContaining("the active key k3 is not in it");
    }

    @Test
    void aKeyIdMustBeShortAndPlain() {
        assertThatThrownBy(() -> Keyring.create("k 1/../x", T0, new SecureRandom()))
                .hasMessageContaining("letters, digits");
    }
}
