package dev.vigil.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.config.EncryptionConfig;
import dev.vigil.encryption.Keyring;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The encryption: section: bound when whole, every problem named at its key, the keyring read at load. */
class EncryptionSectionTest {

    @TempDir
    Path dir;

    @Test
    void aWholeSectionBindsTheKeyringAndTheRepositoryId() throws Exception {
        Path keyring = dir.resolve("keyring.json");
        Keyring.create("k1", Instant.parse("2026-12-07T00:00:00Z"), new SecureRandom())
                .save(keyring);

        EncryptionConfig encryption = ConfigLoader.parse(yaml("keyring: " + keyring + "\n  repository-id: eu-1"), "t")
                .encryption()
                .orElseThrow();

        assertThat(encryption.keyring()).contains(keyring);
        assertThat(encryption.kmsKeyId()).isEmpty();
        assertThat(encryption.repositoryId()).isEqualTo("eu-1");
    }

    @Test
    void eachProblemIsNamedAtItsKey() throws Exception {
        Path exposed = dir.resolve("exposed.json");
        Keyring.create("k1", Instant.parse("2026-12-07T00:00:00Z"), new SecureRandom())
                .save(exposed);
        Files.setPosixFilePermissions(exposed, PosixFilePermissions.fromString("rw-rw-r--"));

        assertThatThrownBy(() -> ConfigLoader.parse(yaml("repository-id: eu-1"), "t"))
                .hasMessageContaining("encryption.keyring: is required, or kms-key-id");
        assertThatThrownBy(() -> ConfigLoader.parse(
                        yaml("keyring: /etc/k.json\n  kms-key-id: arn:aws:kms:eu-west-1:1:key/x\n  repository-id: a"),
                        "t"))
                .hasMessageContaining("encryption.kms-key-id: give keyring or kms-key-id, not both");
        assertThatThrownBy(() -> ConfigLoader.parse(
                        yaml("keyring: " + exposed + "\n  kms-region: eu-west-1\n  repository-id: a"), "t"))
                .hasMessageContaining("encryption.kms-region: only with kms-key-id");
        assertThatThrownBy(() -> ConfigLoader.parse(yaml("keyring: relative.json\n  repository-id: eu-1"), "t"))
                .hasMessageContaining("encryption.keyring: 'relative.json' must be an absolute path");
        assertThatThrownBy(() -> ConfigLoader.parse(yaml("keyring: " + exposed + "\n  repository-id: eu 1"), "t"))
                .hasMessageContaining("encryption.repository-id: 'eu 1' must be 1 to 64");
        assertThatThrownBy(() -> ConfigLoader.parse(yaml("keyring: " + exposed + "\n  repository-id: eu-1"), "t"))
                .hasMessageContaining("encryption.keyring: " + exposed)
                .hasMessageContaining("chmod 600");
        assertThatThrownBy(() -> ConfigLoader.parse(
                        yaml("keyring: " + dir.resolve("none.json") + "\n  repository-id: eu-1\n  cipher: aes"), "t"))
                .hasMessageContaining("encryption.cipher: unknown setting")
                .hasMessageContaining("no such keyring");
    }

    @Test
    void aKmsKeyBindsWithItsRegionAndEndpoint() throws Exception {
        EncryptionConfig encryption = ConfigLoader.parse(
                        yaml("kms-key-id: arn:aws:kms:eu-west-1:111122223333:key/1234\n  kms-endpoint:"
                                + " https://vpce-1.kms.eu-west-1.vpce.amazonaws.com\n  repository-id: eu-1"),
                        "t")
                .encryption()
                .orElseThrow();

        assertThat(encryption.keyring()).isEmpty();
        assertThat(encryption.kmsKeyId()).contains("arn:aws:kms:eu-west-1:111122223333:key/1234");
        assertThat(encryption.kmsEndpoint())
                .hasValueSatisfying(u -> assertThat(u.getHost()).startsWith("vpce-1"));
        assertThat(encryption.describeKeys()).isEqualTo("KMS key arn:aws:kms:eu-west-1:111122223333:key/1234");
    }

    private static String yaml(String encryption) {
        return """
                repository:
                  url: s3://bucket-name/prefix
                work-dir: /var/lib/vigil
                encryption:
                  %s
                """.formatted(encryption);
    }
}
