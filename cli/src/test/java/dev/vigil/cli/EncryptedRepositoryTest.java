package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.demo.node.ReplicationGroup;
import dev.vigil.encryption.Keyring;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path with encryption switched on, through the commands an operator runs: a keyring is created owner-only,
 * archived WAL is ciphertext in the repository (no key of the workload in any stored file), archive verification and
 * a verified restore work through it, a rotation keeps everything open, and a key dropped from the keyring is named
 * with the objects that need it by {@code vigil keys check} and stops a restore with exit 3, never garbage.
 */
class EncryptedRepositoryTest {

    @TempDir
    Path dir;

    @Test
    void archiveVerifyRestoreRotateAndCheckWithEncryptionOn() throws Exception {
        Path keyring = dir.resolve("keys/keyring.json");
        CliRun create = CliRun.of("keys", "create", "--keyring", keyring.toString(), "--id", "k1");
        assertThat(create.exitCode()).as(create.err()).isEqualTo(ExitCodes.OK);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyring)))
                .isEqualTo("rw-------");
        assertThat(CliRun.of("keys", "create", "--keyring", keyring.toString()).exitCode())
                .as("an existing keyring is never overwritten")
                .isEqualTo(ExitCodes.USAGE);

        try (ReplicationGroup group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                .replicas("r1")
                .recordsPerSegment(100)
                .build()) {
            group.write(450);
            Path repo = dir.resolve("repo");
            Path config = NodeConfigs.local(
                    dir.resolve("vigil.yaml"),
                    repo,
                    dir.resolve("work"),
                    group.replica("r1"),
                    "encryption:\n  keyring: " + keyring + "\n  repository-id: test-repo-1\n");

            Files.createDirectories(repo);
            CliRun connect = CliRun.of("check-config", "--config", config.toString(), "--connect");
            assertThat(connect.exitCode()).as(connect.out() + connect.err()).isEqualTo(ExitCodes.OK);
            assertThat(connect.out())
                    .contains("encryption  client-side under keyring " + keyring + ", repository id test-repo-1")
                    .contains("keys        0 object(s) checked");

            CliRun archive = CliRun.of("archive", "--config", config.toString());
            assertThat(archive.exitCode()).as(archive.out() + archive.err()).isEqualTo(ExitCodes.OK);
            List<Path> stored = files(repo.resolve("partitions"));
            assertThat(stored).isNotEmpty();
            for (Path file : stored) {
                String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                assertThat(text).as(file + " holds no key of the workload").doesNotContain("key-0");
                assertThat(text).as(file + " is encrypted").contains("VIGILENC");
            }

            CliRun verify = CliRun.of("verify", "archive", "--config", config.toString());
            assertThat(verify.exitCode()).as(verify.out() + verify.err()).isEqualTo(ExitCodes.OK);
            assertThat(verify.out()).contains("4 verified now", "0 corrupt", "result: ok");

            CliRun restore = CliRun.of(
                    "restore",
                    "--config",
                    config.toString(),
                    "--partition",
                    "p-0001",
                    "--latest",
                    "--target",
                    dir.resolve("restored").toString());
            assertThat(restore.exitCode()).as(restore.out() + restore.err()).isEqualTo(ExitCodes.OK);
            assertThat(restore.out()).contains("VERIFIED  partition p-0001 restored to LSN 400");
            // Where the plaintext is on this machine, only its owner reads it.
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("work"))))
                    .isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("restored"))))
                    .isEqualTo("rwx------");

            // A machine without the keyring (an auditor's): the archive is re-hashed, nothing is read as content.
            Path keyless = NodeConfigs.local(
                    dir.resolve("keyless.yaml"), repo, dir.resolve("work-keyless"), group.replica("r1"), "");
            CliRun rehash = CliRun.of("verify", "archive", "--config", keyless.toString());
            assertThat(rehash.exitCode()).as(rehash.out() + rehash.err()).isEqualTo(ExitCodes.OK);
            assertThat(rehash.out()).contains("4 encrypted and not decrypted here (stored bytes re-hashed intact");
            CliRun unreadable = CliRun.of(
                    "restore",
                    "--config",
                    keyless.toString(),
                    "--partition",
                    "p-0001",
                    "--latest",
                    "--target",
                    dir.resolve("restored-keyless").toString());
            assertThat(unreadable.exitCode()).isEqualTo(ExitCodes.FAILURE);
            assertThat(unreadable.err()).contains("is encrypted (key k1)", "no encryption: section");

            CliRun rotate = CliRun.of("keys", "rotate", "--config", config.toString(), "--id", "k2");
            assertThat(rotate.exitCode()).as(rotate.err()).isEqualTo(ExitCodes.OK);
            group.write(200);
            assertThat(CliRun.of("archive", "--config", config.toString()).exitCode())
                    .isEqualTo(ExitCodes.OK);
            CliRun check = CliRun.of("keys", "check", "--config", config.toString());
            assertThat(check.exitCode()).as(check.out() + check.err()).isEqualTo(ExitCodes.OK);
            assertThat(check.out()).contains("open under key k1", "open under key k2", "OK: every encrypted object");
            CliRun report = CliRun.of("report", "--config", config.toString(), "--period", "1h");
            assertThat(report.out())
                    .as(report.err())
                    .contains("PASS  every object stored in the period encrypted at rest")
                    .containsPattern("encryption at rest: (\\d+) of \\1 object\\(s\\) stored in the period encrypted"
                            + " \\(key k1: \\d+, key k2: \\d+\\), 0 in plaintext");
            // A node whose configuration lacks the encryption: section archives in plaintext: the next report names it.
            group.write(100);
            CliRun plainWriter = CliRun.of("archive", "--config", keyless.toString());
            assertThat(plainWriter.exitCode())
                    .as(plainWriter.out() + plainWriter.err())
                    .isEqualTo(ExitCodes.OK);
            CliRun named = CliRun.of("report", "--config", config.toString(), "--period", "1h");
            assertThat(named.exitCode()).isEqualTo(ExitCodes.FINDINGS);
            assertThat(named.out())
                    .contains("FAIL  every object stored in the period encrypted at rest")
                    .containsPattern("- \\d+ of \\d+ object\\(s\\) stored in the period are in plaintext although"
                            + " encryption is configured .*e\\.g\\. partitions/p-0001/wal/00000000000000000601-00000000000000000700"
                            + "\\.seg");
            CliRun list = CliRun.of("keys", "list", "--config", config.toString());
            assertThat(list.out()).contains("k1", "k2  ").contains("(active)");
            Keyring rotated = Keyring.load(keyring);
            assertThat(list.out() + check.out())
                    .doesNotContain(rotated.key("k1").orElseThrow().material());

            // An operator drops the old key: every object that needs it is named, and reads stop with exit 3.
            new Keyring(Keyring.VERSION, "k2", List.of(rotated.key("k2").orElseThrow())).save(keyring);
            CliRun missing = CliRun.of("keys", "check", "--config", config.toString());
            assertThat(missing.exitCode()).as(missing.out() + missing.err()).isEqualTo(ExitCodes.FINDINGS);
            assertThat(missing.out())
                    .contains("KEY_MISSING partitions/p-0001/wal/", "(key k1)", "NOT OK")
                    .contains("open under key k2");
            CliRun preflight = CliRun.of("check-config", "--config", config.toString(), "--connect");
            assertThat(preflight.exitCode()).as(preflight.out()).isEqualTo(ExitCodes.FAILURE);
            assertThat(preflight.err())
                    .contains("keys: ", "object(s) do not open (key k1)", "e.g. partitions/p-0001/")
                    .contains("wal/00000000000000000001-00000000000000000100.seg")
                    .contains("put the key back into the keyring");
            CliRun unchecked = CliRun.of("verify", "archive", "--config", config.toString());
            assertThat(unchecked.exitCode())
                    .as("a key this process should have is missing: incomplete, not a pass")
                    .isEqualTo(ExitCodes.FAILURE);
            assertThat(unchecked.out()).contains("stored bytes intact, but its records could not be checked", "key k1");
            CliRun blocked = CliRun.of(
                    "restore",
                    "--config",
                    config.toString(),
                    "--partition",
                    "p-0001",
                    "--latest",
                    "--target",
                    dir.resolve("restored-2").toString());
            assertThat(blocked.exitCode()).as(blocked.out() + blocked.err()).isEqualTo(ExitCodes.FAILURE);
            assertThat(blocked.err())
                    .contains("cannot be decrypted with the keys configured here", "key k1 is not in keyring")
                    .contains("vigil keys check")
                    .doesNotContain("Exception", "damaged segment back");

            // A flipped bit in a stored segment is damage, named by the keyless re-hash as by the keyed read.
            Path segment = stored.stream()
                    .filter(f -> f.toString().endsWith("00000000000000000201-00000000000000000300.seg"))
                    .findFirst()
                    .orElseThrow();
            byte[] bytes = Files.readAllBytes(segment);
            bytes[bytes.length - 100] ^= 0x10;
            Files.write(segment, bytes);
            CliRun damaged = CliRun.of("verify", "archive", "--config", keyless.toString());
            assertThat(damaged.exitCode()).as(damaged.out() + damaged.err()).isEqualTo(ExitCodes.FINDINGS);
            assertThat(damaged.out()).contains("FINDING", "00000000000000000201-00000000000000000300.seg");

            Files.setPosixFilePermissions(keyring, PosixFilePermissions.fromString("rw-r--r--"));
            CliRun exposed = CliRun.of("keys", "list", "--config", config.toString());
            assertThat(exposed.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(exposed.err()).contains("encryption.keyring", "chmod 600");
        }
    }

    private static List<Path> files(Path root) throws Exception {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }
}
