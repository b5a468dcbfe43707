package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.PutRequest;
import dev.vigil.demo.node.ReplicationGroup;
import dev.vigil.tlog.NoteKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tamper-evident log through the commands: a signing key created owner-only, an encrypted repository archived
 * with the log on, a checkpoint signed, an audit that passes on an auditor's machine that has only the public key
 * (and no keyring), then a segment rewritten consistently and an object planted behind the log's back: both named,
 * exit 1.
 */
class AuditCommandTest {

    @TempDir
    Path dir;

    @Test
    void anArchivedRepositoryAuditsCleanAndARewriteOrAPlantBehindTheLogIsNamed() throws Exception {
        Path signingKey = dir.resolve("keys/log-signing.key");
        CliRun keygen = CliRun.of("audit", "keygen", "--key", signingKey.toString(), "--name", "vigil.test/repo-1");
        assertThat(keygen.exitCode()).as(keygen.err()).isEqualTo(ExitCodes.OK);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(signingKey)))
                .isEqualTo("rw-------");
        String publicKey = keygen.out().lines().toList().get(1);
        assertThat(publicKey).startsWith("vigil.test/repo-1+");
        assertThat(CliRun.of(
                                "keys",
                                "create",
                                "--keyring",
                                dir.resolve("keys/keyring.json").toString())
                        .exitCode())
                .isEqualTo(ExitCodes.OK);

        try (ReplicationGroup group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                .replicas("r1")
                .recordsPerSegment(100)
                .build()) {
            group.write(350);
            Path repo = dir.resolve("repo");
            Path config = NodeConfigs.local(
                    dir.resolve("vigil.yaml"),
                    repo,
                    dir.resolve("work"),
                    group.replica("r1"),
                    "encryption:\n  keyring: " + dir.resolve("keys/keyring.json") + "\n  repository-id: audit-test\n"
                            + "audit:\n  origin: vigil.test/repo-1\n  signing-key: " + signingKey + "\n  grace: 0s\n");
            CliRun archive = CliRun.of("archive", "--config", config.toString());
            assertThat(archive.exitCode()).as(archive.out() + archive.err()).isEqualTo(ExitCodes.OK);
            CliRun unanchored = CliRun.of("audit", "--config", config.toString());
            assertThat(unanchored.exitCode())
                    .as("entries nobody signed prove nothing: not a pass")
                    .isEqualTo(ExitCodes.FAILURE);
            assertThat(unanchored.out()).contains("INCOMPLETE: no signed checkpoint anchors the log");
            CliRun sign = CliRun.of("audit", "checkpoint", "--config", config.toString());
            assertThat(sign.exitCode()).as(sign.out() + sign.err()).isEqualTo(ExitCodes.OK);
            assertThat(sign.out()).contains("signed vigil.test/repo-1 size ");
            CliRun key = CliRun.of("audit", "key", "--config", config.toString());
            assertThat(key.out().strip()).isEqualTo(publicKey);

            // An auditor's machine: the public key only, no keyring, no signing key.
            Path auditor = NodeConfigs.local(
                    dir.resolve("auditor.yaml"),
                    repo,
                    dir.resolve("work-auditor"),
                    group.replica("r1"),
                    "audit:\n  origin: vigil.test/repo-1\n  public-keys: [\"" + publicKey + "\"]\n  grace: 0s\n");
            CliRun clean = CliRun.of("audit", "--config", auditor.toString());
            assertThat(clean.exitCode()).as(clean.out() + clean.err()).isEqualTo(ExitCodes.OK);
            assertThat(clean.out())
                    .contains("1 signed checkpoint(s) checked", "OK: the repository is what its log says");
            CliRun resumed = CliRun.of("audit", "--config", auditor.toString());
            assertThat(resumed.exitCode()).isEqualTo(ExitCodes.OK);
            assertThat(resumed.out())
                    .as("the second audit resumes from the first: nothing new, nothing read")
                    .contains("resumed from the audit of ", ": 0 entries read, 0 object(s) read (0.0 MiB)");

            ObjectStore raw = ObjectStores.localDirectory(repo, Clock.systemUTC());
            String segment = "partitions/p-0001/wal/00000000000000000101-00000000000000000200.seg";
            byte[] stored;
            try (ObjectStream in = raw.get(segment)) {
                stored = in.readAllBytes();
            }
            stored[stored.length - 7] ^= 0x01;
            raw.put(PutRequest.overwrite(
                    segment,
                    ObjectBody.ofBytes(stored),
                    Checksum.of(ChecksumAlgorithm.CRC32C, stored),
                    Map.of("vigil-key-id", "k")));
            byte[] planted = "planted".getBytes(StandardCharsets.UTF_8);
            raw.put(PutRequest.ifAbsent(
                    "partitions/p-0001/wal/planted.seg",
                    ObjectBody.ofBytes(planted),
                    Checksum.of(ChecksumAlgorithm.CRC32C, planted),
                    Map.of()));

            CliRun tampered = CliRun.of("audit", "--config", auditor.toString());
            assertThat(tampered.exitCode()).as(tampered.out() + tampered.err()).isEqualTo(ExitCodes.FINDINGS);
            assertThat(tampered.out())
                    .contains("ALTERED " + segment + ": its stored bytes hash to")
                    .contains("INSERTED partitions/p-0001/wal/planted.seg: the log never recorded it")
                    .contains("NOT OK: 2 finding(s)")
                    .as("resumed, it reads only the rewritten object")
                    .contains("resumed from the audit of ", "1 object(s) read");
            CliRun fullAgain = CliRun.of("audit", "--config", auditor.toString(), "--full", "--max-rate", "1GiB");
            assertThat(fullAgain.exitCode()).isEqualTo(ExitCodes.FINDINGS);
            assertThat(fullAgain.out()).contains("full audit: ", "NOT OK: 2 finding(s)");
            // The state cannot be saved (its path is taken): the audit's result stands, the next one reads everything.
            Files.delete(dir.resolve("work-auditor/state/audit-state.json.gz"));
            Files.createDirectories(dir.resolve("work-auditor/state/audit-state.json.gz/taken"));
            CliRun unsaved = CliRun.of("audit", "--config", auditor.toString(), "--full");
            assertThat(unsaved.exitCode()).as(unsaved.err()).isEqualTo(ExitCodes.FINDINGS);
            assertThat(unsaved.err()).contains("could not save what this audit proved", "reads everything again");
            assertThat(List.of(tampered.out(), key.out(), keygen.out()))
                    .allSatisfy(text -> assertThat(text)
                            .doesNotContain(Files.readString(signingKey).strip()));
        }
    }

    @Test
    void aReportIsSealedAndAnAuditorChecksItOfflineWithThePublicKeyAlone() throws Exception {
        Path signingKey = dir.resolve("keys/log-signing.key");
        CliRun keygen = CliRun.of("audit", "keygen", "--key", signingKey.toString(), "--name", "vigil.test/repo-2");
        String publicKey = keygen.out().lines().toList().get(1);
        try (ReplicationGroup group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                .replicas("r1")
                .recordsPerSegment(100)
                .build()) {
            group.write(250);
            Path config = NodeConfigs.local(
                    dir.resolve("vigil.yaml"),
                    dir.resolve("repo"),
                    dir.resolve("work"),
                    group.replica("r1"),
                    "audit:\n  origin: vigil.test/repo-2\n  signing-key: " + signingKey + "\n");
            assertThat(CliRun.of("archive", "--config", config.toString()).exitCode())
                    .isEqualTo(ExitCodes.OK);
            Path out = dir.resolve("handed-over");
            CliRun report = CliRun.of("report", "--config", config.toString(), "--out", out.toString());
            assertThat(report.out()).contains("sealed   with the repository's signed log", ".seal.json");
            Path json;
            try (var files = Files.list(out)) {
                json = files.filter(p ->
                                p.toString().endsWith(".json") && !p.toString().endsWith(".seal.json"))
                        .findFirst()
                        .orElseThrow();
            }
            String id = json.getFileName().toString().replace(".json", "");
            Path keyFile = Files.writeString(dir.resolve("log-public.key"), "# repo-2\n" + publicKey + "\n");

            CliRun verified = CliRun.of("audit", "verify", json.toString(), "--public-key", keyFile.toString());
            assertThat(verified.exitCode()).as(verified.out() + verified.err()).isEqualTo(ExitCodes.OK);
            assertThat(verified.out())
                    .contains("seal signed by vigil.test/repo-2", "the report's html file is the one signed")
                    .contains("the report's json file is the one signed", "the report's parquet file is the one signed")
                    .contains("VERIFIED");

            group.write(100);
            assertThat(CliRun.of("archive", "--config", config.toString()).exitCode())
                    .isEqualTo(ExitCodes.OK);
            Path later = dir.resolve("later.json");
            CliRun prove = CliRun.of(
                    "audit",
                    "prove",
                    out.resolve(id + ".seal.json").toString(),
                    "--config",
                    config.toString(),
                    "--out",
                    later.toString());
            assertThat(prove.exitCode()).as(prove.out() + prove.err()).isEqualTo(ExitCodes.OK);
            CliRun extended = CliRun.of(
                    "audit", "verify", json.toString(), "--public-key", publicKey, "--later", later.toString());
            assertThat(extended.exitCode()).as(extended.out()).isEqualTo(ExitCodes.OK);
            assertThat(extended.out()).contains("extends the log the report was sealed at", "VERIFIED");
            CliRun notASeal = CliRun.of(
                    "audit", "prove", json.toString(), "--config", config.toString(), "--out", later.toString());
            assertThat(notASeal.exitCode()).as(notASeal.err()).isEqualTo(ExitCodes.USAGE);
            assertThat(notASeal.err()).contains(json.toString());

            String stranger = NoteKeys.generate("vigil.test/repo-2", new SecureRandom())
                    .verifier()
                    .encode();
            CliRun untrusted = CliRun.of("audit", "verify", json.toString(), "--public-key", stranger);
            assertThat(untrusted.exitCode()).isEqualTo(ExitCodes.FAILURE);
            assertThat(untrusted.out()).contains("NOT CHECKED: no trusted key signed the seal");

            Path html = out.resolve(id + ".html");
            Files.writeString(html, "<!-- all is well -->", StandardOpenOption.APPEND);
            CliRun tampered = CliRun.of("audit", "verify", json.toString(), "--public-key", publicKey);
            assertThat(tampered.exitCode()).as(tampered.out()).isEqualTo(ExitCodes.FINDINGS);
            assertThat(tampered.out())
                    .contains("PROBLEM  the report's html file was changed after it was sealed", "TAMPERED");

            Files.delete(out.resolve(id + ".seal.json"));
            CliRun unsealed = CliRun.of("audit", "verify", json.toString(), "--public-key", publicKey);
            assertThat(unsealed.exitCode()).isEqualTo(ExitCodes.FAILURE);
            assertThat(unsealed.err()).contains("no seal ", "nothing was checked");

            CliRun badKey = CliRun.of("audit", "verify", json.toString(), "--public-key", "not+a+key");
            assertThat(badKey.exitCode()).isEqualTo(ExitCodes.USAGE);
        }
    }
}
