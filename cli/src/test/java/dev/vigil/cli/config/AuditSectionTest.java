package dev.vigil.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.audit.SigningKeyFile;
import dev.vigil.core.config.AuditConfig;
import dev.vigil.tlog.NoteKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit: section: bound when whole, the signing key read at load, every problem named at its key. */
class AuditSectionTest {

    @TempDir
    Path dir;

    @Test
    void aWholeSectionBindsTheOriginTheKeysAndTheGrace() throws Exception {
        Path key = dir.resolve("log.key");
        NoteKeys.Signer signer = SigningKeyFile.create(key, "vigil.test/r1", new SecureRandom());

        AuditConfig audit = ConfigLoader.parse(
                        yaml("origin: vigil.test/r1\n  signing-key: " + key + "\n  public-keys: [\""
                                + signer.verifier().encode() + "\"]\n  grace: 5m"),
                        "t")
                .audit()
                .orElseThrow();

        assertThat(audit.origin()).isEqualTo("vigil.test/r1");
        assertThat(audit.signingKey()).contains(key);
        assertThat(audit.publicKeys()).containsExactly(signer.verifier().encode());
        assertThat(audit.grace()).isEqualTo(Duration.ofMinutes(5));
        assertThat(SigningKeyFile.load(key).verifier()).isEqualTo(signer.verifier());
    }

    @Test
    void eachProblemIsNamedAtItsKey() throws Exception {
        Path exposed = dir.resolve("exposed.key");
        SigningKeyFile.create(exposed, "vigil.test/r1", new SecureRandom());
        Files.setPosixFilePermissions(exposed, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> ConfigLoader.parse(yaml("grace: 5m"), "t"))
                .hasMessageContaining("audit.origin: is required");
        assertThatThrownBy(() -> ConfigLoader.parse(yaml("origin: o\n  signing-key: " + exposed), "t"))
                .hasMessageContaining("audit.signing-key: " + exposed)
                .hasMessageContaining("chmod 600");
        assertThatThrownBy(() -> ConfigLoader.parse(yaml("origin: o\n  signing-key: " + dir.resolve("none")), "t"))
                .hasMessageContaining("no such signing key; create one with vigil audit keygen");
        assertThatThrownBy(() -> ConfigLoader.parse(yaml("origin: o\n  public-keys: [\"not+a+key\"]"), "t"))
                .hasMessageContaining("audit.public-keys[0]: ");
        assertThatThrownBy(() -> ConfigLoader.parse(yaml("origin: o\n  colour: red"), "t"))
                .hasMessageContaining("audit.colour: unknown setting");
    }

    private static String yaml(String audit) {
        return "repository:\n  url: file:///var/lib/vigil/repo\nwork-dir: /var/lib/vigil/work\naudit:\n  " + audit
                + "\n";
    }
}
