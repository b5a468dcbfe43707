package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.demo.node.ReplicationGroup;
import dev.vigil.encryption.Keyring;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil keys rewrap} through the command line: killed with SIGKILL in the middle, the repository is still whole
 * (every object opens with the keys configured), a second run finishes the job, and then the old key can leave the
 * keyring with everything still verified and restorable.
 */
class KeysRewrapCommandTest {

    @TempDir
    Path dir;

    @Test
    void aRewrapKilledMidwayLosesNothingAndASecondRunFinishesSoTheOldKeyCanGo() throws Exception {
        Path keyring = dir.resolve("keys/keyring.json");
        assertThat(CliRun.of("keys", "create", "--keyring", keyring.toString(), "--id", "k1")
                        .exitCode())
                .isEqualTo(ExitCodes.OK);
        try (ReplicationGroup group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                .replicas("r1")
                .recordsPerSegment(100)
                .build()) {
            group.write(4_000);
            Path repo = dir.resolve("repo");
            Path config = NodeConfigs.local(
                    dir.resolve("vigil.yaml"),
                    repo,
                    dir.resolve("work"),
                    group.replica("r1"),
                    "encryption:\n  keyring: " + keyring + "\n  repository-id: rewrap-test\n");
            CliRun archive = CliRun.of("archive", "--config", config.toString());
            assertThat(archive.exitCode()).as(archive.out() + archive.err()).isEqualTo(ExitCodes.OK);
            assertThat(CliRun.of("keys", "rotate", "--config", config.toString(), "--id", "k2")
                            .exitCode())
                    .isEqualTo(ExitCodes.OK);

            CliRun unknown = CliRun.of("keys", "rewrap", "--config", config.toString(), "--from", "k9");
            assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(unknown.err()).contains("--from k9 is not a key of the keyring");
            CliRun active = CliRun.of("keys", "rewrap", "--config", config.toString(), "--from", "k2");
            assertThat(active.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(active.err()).contains("is the active key");
            CliRun dry = CliRun.of("keys", "rewrap", "--config", config.toString(), "--dry-run");
            assertThat(dry.exitCode()).as(dry.out() + dry.err()).isEqualTo(ExitCodes.OK);
            assertThat(dry.out()).contains("40 to rewrap", "dry run: nothing was changed");
            assertThat(objectsUnder(repo, "k2")).isZero();

            // Slowed down so that it is killed with most of the work still to do.
            Path log = dir.resolve("rewrap.log");
            Process rewrap = start(config, log, "--max-rate", "24KiB");
            awaitObjectsUnder(repo, "k2", 3, rewrap, log);
            rewrap.destroyForcibly();
            assertThat(rewrap.waitFor(30, TimeUnit.SECONDS)).isTrue();
            int done = objectsUnder(repo, "k2");
            assertThat(done).as("killed midway (see " + log + ")").isBetween(3, 39);

            CliRun check = CliRun.of("keys", "check", "--config", config.toString());
            assertThat(check.exitCode()).as(check.out() + check.err()).isEqualTo(ExitCodes.OK);
            assertThat(check.out()).contains("open under key k1", "open under key k2");

            CliRun resumed = CliRun.of("keys", "rewrap", "--config", config.toString());
            assertThat(resumed.exitCode()).as(resumed.out() + resumed.err()).isEqualTo(ExitCodes.OK);
            assertThat(resumed.out()).contains("OK: every selected object is under key k2");
            assertThat(objectsUnder(repo, "k1")).isZero();
            try (Stream<Path> temporaries = Files.list(repo.resolve(".vigil-tmp"))) {
                assertThat(temporaries.filter(f -> f.getFileName().toString().startsWith("put-")))
                        .as("the killed process's half-written put was swept")
                        .isEmpty();
            }

            Keyring rotated = Keyring.load(keyring);
            new Keyring(Keyring.VERSION, "k2", List.of(rotated.key("k2").orElseThrow())).save(keyring);
            CliRun withoutK1 = CliRun.of("keys", "check", "--config", config.toString());
            assertThat(withoutK1.exitCode()).as(withoutK1.out()).isEqualTo(ExitCodes.OK);
            CliRun verify = CliRun.of("verify", "archive", "--config", config.toString());
            assertThat(verify.exitCode()).as(verify.out() + verify.err()).isEqualTo(ExitCodes.OK);
            assertThat(verify.out()).contains("40 verified now", "0 corrupt", "result: ok");
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
            assertThat(restore.out()).contains("VERIFIED  partition p-0001 restored to LSN 4000");
        }
    }

    private Process start(Path config, Path log, String... more) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new java.util.ArrayList<>(List.of(
                java,
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "keys",
                "rewrap",
                "--config",
                config.toString()));
        command.addAll(List.of(more));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static void awaitObjectsUnder(Path repo, String keyId, int count, Process process, Path log)
            throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline)) {
            if (objectsUnder(repo, keyId) >= count) {
                return;
            }
            assertThat(process.isAlive())
                    .as("rewrap still running (see " + log + ")")
                    .isTrue();
            process.waitFor(20, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError(count + " objects under " + keyId + " not seen within 90 s (see " + log + ")");
    }

    /** How many stored objects' headers (the local store's JSON header) name {@code keyId}. */
    private static int objectsUnder(Path repo, String keyId) throws IOException {
        try (Stream<Path> files = Files.walk(repo.resolve("partitions"))) {
            int n = 0;
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                byte[] head;
                try (var in = Files.newInputStream(file)) {
                    head = in.readNBytes(600);
                } catch (java.nio.file.NoSuchFileException replacedMeanwhile) {
                    continue;
                }
                if (new String(head, StandardCharsets.ISO_8859_1).contains("\"vigil-key-id\":\"" + keyId + "\"")) {
                    n++;
                }
            }
            return n;
        }
    }
}
