package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.vigil.demo.node.ReplicationGroup;
import dev.vigil.encryption.Keyring;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Key material is never printed: with an encrypted repository, every command that touches keys or encrypted objects
 * runs (keys list, check, rotate, rewrap; check-config --connect; archive, verify, report, status, restore, each also
 * as JSON where it has it, and a keys check that fails), and neither their output, the log, the files they wrote nor
 * any stored object holds a key of the keyring, in base64 or in hex. The keyring's path and key ids may appear.
 */
class KeyMaterialNeverPrintedTest {

    @TempDir
    Path dir;

    @TempDir
    Path keys;

    @Test
    void noKeyOfTheKeyringReachesAnyOutputLogFileOrStoredObject() throws Exception {
        Path keyring = keys.resolve("keyring.json");
        List<String> outputs = new ArrayList<>();
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        log.start();
        root.addAppender(log);
        try (ReplicationGroup group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                .replicas("r1")
                .recordsPerSegment(100)
                .build()) {
            group.write(350);
            Path repo = Files.createDirectories(dir.resolve("repo"));
            Path config = NodeConfigs.local(
                    dir.resolve("vigil.yaml"),
                    repo,
                    dir.resolve("work"),
                    group.replica("r1"),
                    "encryption:\n  keyring: " + keyring + "\n  repository-id: secrets-test\n");
            List<String[]> commands = List.of(
                    new String[] {"keys", "create", "--keyring", keyring.toString(), "--id", "k1"},
                    new String[] {"check-config", "--config", config.toString(), "--connect"},
                    new String[] {"archive", "--config", config.toString(), "--json"},
                    new String[] {"keys", "rotate", "--config", config.toString(), "--id", "k2"},
                    new String[] {"keys", "list", "--config", config.toString()},
                    new String[] {"keys", "check", "--config", config.toString()},
                    new String[] {"keys", "rewrap", "--config", config.toString(), "--dry-run"},
                    new String[] {"keys", "rewrap", "--config", config.toString()},
                    new String[] {"verify", "archive", "--config", config.toString(), "--json"},
                    new String[] {
                        "report",
                        "--config",
                        config.toString(),
                        "--out",
                        dir.resolve("reports").toString()
                    },
                    new String[] {"status", "--config", config.toString(), "--json"},
                    new String[] {
                        "restore",
                        "--config",
                        config.toString(),
                        "--partition",
                        "p-0001",
                        "--latest",
                        "--target",
                        dir.resolve("restored").toString(),
                        "--json"
                    });
            for (String[] command : commands) {
                CliRun run = CliRun.of(command);
                outputs.add(String.join(" ", command) + " -> " + run.exitCode() + "\n" + run.out() + run.err());
            }
            // A failing check too: a keyring whose key k1 holds other material.
            Keyring real = Keyring.load(keyring);
            Path wrong = keys.resolve("wrong.json");
            Keyring.create("k1", real.key("k1").orElseThrow().created(), new java.security.SecureRandom())
                    .rotate("k2", real.key("k2").orElseThrow().created(), new java.security.SecureRandom())
                    .save(wrong);
            Path wrongConfig = NodeConfigs.local(
                    dir.resolve("wrong.yaml"),
                    repo,
                    dir.resolve("work-wrong"),
                    group.replica("r1"),
                    "encryption:\n  keyring: " + wrong + "\n  repository-id: secrets-test\n");
            CliRun failing = CliRun.of("keys", "check", "--config", wrongConfig.toString());
            assertThat(failing.exitCode()).as(failing.out() + failing.err()).isEqualTo(ExitCodes.FINDINGS);
            outputs.add(failing.out() + failing.err());

            List<String> secrets = new ArrayList<>();
            for (Keyring ring : List.of(real, Keyring.load(wrong))) {
                for (Keyring.Key key : ring.keys()) {
                    byte[] material = Base64.getDecoder().decode(key.material());
                    secrets.add(key.material());
                    secrets.add(HexFormat.of().formatHex(material));
                    secrets.add(HexFormat.of().withUpperCase().formatHex(material));
                }
            }
            for (ILoggingEvent event : log.list) {
                outputs.add(event.getFormattedMessage()
                        + (event.getThrowableProxy() == null
                                ? ""
                                : ThrowableProxyUtil.asString(event.getThrowableProxy())));
            }
            outputs.add(files(dir));
            String everything = String.join("\n", outputs);
            assertThat(everything)
                    .as("the commands ran and named keys by id")
                    .contains(
                            "open under key k1",
                            "OK: every selected object is under key k2",
                            "DOES_NOT_OPEN",
                            "(key k2)")
                    .contains("\"verified\" : true");
            for (String secret : secrets) {
                assertThat(everything).as("no output holds key material").doesNotContain(secret);
            }
        } finally {
            root.detachAppender(log);
        }
    }

    /** Every file under {@code root} but the nodes' own data and the configurations: names and bytes. */
    private static String files(Path root) throws Exception {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                if (file.toString().contains("/nodes/")) {
                    continue;
                }
                all.append(file).append('\n');
                all.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
                        .append('\n');
            }
        }
        return all.toString();
    }
}
