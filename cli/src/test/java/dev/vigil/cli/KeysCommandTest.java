package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.io.DirectoryLock;
import dev.vigil.encryption.Keyring;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Changes to a keyring take turns: while another process holds it (a rotation under way), a rotation or a create is
 * refused naming the holder and the keyring is left as it was; afterwards the rotation goes through.
 */
class KeysCommandTest {

    @TempDir
    Path dir;

    @Test
    void aRotationWhileAnotherHoldsTheKeyringIsRefusedNamingTheHolderAndChangesNothing() throws Exception {
        Path keyring = dir.resolve("keyring.json");
        assertThat(CliRun.of("keys", "create", "--keyring", keyring.toString(), "--id", "k1")
                        .exitCode())
                .isEqualTo(ExitCodes.OK);
        Path config = Files.writeString(
                dir.resolve("vigil.yaml"), """
                repository:
                  url: %s
                work-dir: %s
                encryption:
                  keyring: %s
                  repository-id: r1
                """.formatted(dir.resolve("repo").toUri(), dir.resolve("work"), keyring));

        try (DirectoryLock held =
                DirectoryLock.acquireBeside(keyring, "keyring", "vigil keys rotate (another one)", Instant.now())) {
            CliRun refused = CliRun.of("keys", "rotate", "--config", config.toString(), "--id", "k2");
            CliRun createRefused = CliRun.of("keys", "create", "--keyring", keyring.toString());

            assertThat(held.isHeld()).isTrue();
            assertThat(refused.exitCode()).as(refused.err()).isEqualTo(ExitCodes.FAILURE);
            assertThat(refused.err()).contains("keyring", "vigil keys rotate (another one)");
            assertThat(createRefused.exitCode()).isEqualTo(ExitCodes.FAILURE);
            assertThat(Keyring.load(keyring).keys()).extracting(Keyring.Key::id).containsExactly("k1");
        }

        CliRun rotate = CliRun.of("keys", "rotate", "--config", config.toString(), "--id", "k2");
        assertThat(rotate.exitCode()).as(rotate.err()).isEqualTo(ExitCodes.OK);
        assertThat(Keyring.load(keyring).keys()).extracting(Keyring.Key::id).containsExactly("k1", "k2");
        assertThat(Keyring.load(keyring).active()).isEqualTo("k2");
    }
}
