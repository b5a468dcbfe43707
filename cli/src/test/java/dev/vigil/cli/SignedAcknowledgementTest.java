package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.PutRequest;
import dev.vigil.demo.node.Divergence;
import dev.vigil.demo.node.ReplicationGroup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acknowledgements signed by the operator key that made them: with {@code audit.operator-keys} set, an unsigned one or
 * one signed by another key is refused before it is stored; a signed one counts, shows its key, and an auditor checks
 * it offline from the sealed report; one whose reason was rewritten in the bucket after signing no longer counts and
 * is named.
 */
class SignedAcknowledgementTest {

    @TempDir
    Path dir;

    @Test
    void onlyAnOperatorsSignedAcknowledgementCountsAndAnAuditorChecksItOffline() throws Exception {
        Path logKey = dir.resolve("keys/log-signing.key");
        String logPublic =
                publicKey(CliRun.of("audit", "keygen", "--key", logKey.toString(), "--name", "vigil.test/r"));
        Path alice = dir.resolve("keys/alice.key");
        String alicePublic = publicKey(CliRun.of("audit", "keygen", "--key", alice.toString(), "--name", "alice"));
        Path mallory = dir.resolve("keys/mallory.key");
        String malloryPublic = publicKey(CliRun.of("audit", "keygen", "--key", mallory.toString(), "--name", "alice"));
        try (ReplicationGroup group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                .replicas("r1", "r2")
                .recordsPerSegment(100)
                .keySpace(1_000_000)
                .build()) {
            group.diverge("r2", 142, Divergence.DROP_FROM_STORE);
            group.write(330);
            group.sealAll();
            String audit = "scrub:\n  rate: 0\naudit:\n  origin: vigil.test/r\n  signing-key: " + logKey
                    + "\n  operator-keys: ['" + alicePublic + "']\n";
            Path r1 = NodeConfigs.local(
                    dir.resolve("r1.yaml"), dir.resolve("repo"), dir.resolve("work-r1"), group.replica("r1"), audit);
            Path r2 = NodeConfigs.local(
                    dir.resolve("r2.yaml"), dir.resolve("repo"), dir.resolve("work-r2"), group.replica("r2"), audit);
            assertThat(CliRun.of("archive", "--config", r1.toString()).exitCode())
                    .isEqualTo(ExitCodes.OK);
            assertThat(CliRun.of("verify", "replicas", "--config", r2.toString())
                            .exitCode())
                    .isEqualTo(ExitCodes.FINDINGS);
            Matcher open = Pattern.compile("OPEN FINDING (F-[0-9a-f]{10}) REPLICA_DIVERGED")
                    .matcher(CliRun.of("status", "--config", r1.toString()).out());
            assertThat(open.find()).isTrue();
            String finding = open.group(1);
            String reason = "r2 lost LSN 142 in incident 4411; rebuilt from r1";

            Path exposed = Files.copy(alice, dir.resolve("keys/alice-exposed.key"));
            Files.setPosixFilePermissions(exposed, PosixFilePermissions.fromString("rw-r--r--"));
            CliRun readable = CliRun.of(
                    "ack", finding, "--reason", reason, "--sign-key", exposed.toString(), "--config", r1.toString());
            assertThat(readable.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(readable.err()).contains(exposed.toString(), "readable or writable by others", "chmod 600");
            CliRun unsigned = CliRun.of("ack", finding, "--reason", reason, "--config", r1.toString());
            assertThat(unsigned.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(unsigned.err()).contains("audit.operator-keys is set", "--sign-key");
            CliRun stranger = CliRun.of(
                    "ack", finding, "--reason", reason, "--sign-key", mallory.toString(), "--config", r1.toString());
            assertThat(stranger.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(stranger.err()).contains(malloryPublic, "is not in audit.operator-keys");
            assertThat(ackObjects())
                    .as("nothing stored for a refused acknowledgement")
                    .isEmpty();

            CliRun signed = CliRun.of(
                    "ack",
                    finding,
                    "--reason",
                    reason,
                    "--by",
                    "alice",
                    "--sign-key",
                    alice.toString(),
                    "--config",
                    r1.toString());
            assertThat(signed.exitCode()).as(signed.out() + signed.err()).isEqualTo(ExitCodes.OK);
            assertThat(signed.out()).contains("signed with operator key " + alicePublic);
            String aliceKey =
                    alicePublic.split("\\+", -1)[0] + "+" + alicePublic.split("\\+", -1)[1];
            assertThat(CliRun.of("status", "--config", r1.toString()).out())
                    .contains("ACKNOWLEDGED FINDING " + finding, "(signed with " + aliceKey + ", verified)");

            Path out = dir.resolve("handed-over");
            assertThat(CliRun.of("report", "--config", r1.toString(), "--out", out.toString())
                            .out())
                    .contains("sealed   with the repository's signed log");
            Path json = reportJson(out);
            assertThat(Files.readString(json)).contains("\"signature\"", "\"verified\" : true");
            CliRun offline = CliRun.of(
                    "audit", "verify", json.toString(), "--public-key", logPublic, "--operator-key", alicePublic);
            assertThat(offline.exitCode()).as(offline.out()).isEqualTo(ExitCodes.OK);
            assertThat(offline.out())
                    .contains(
                            "ok       acknowledgement of " + finding + " by alice: signed with operator key "
                                    + aliceKey,
                            "VERIFIED");
            CliRun otherOperator = CliRun.of(
                    "audit", "verify", json.toString(), "--public-key", logPublic, "--operator-key", malloryPublic);
            assertThat(otherOperator.exitCode()).as(otherOperator.out()).isEqualTo(ExitCodes.FAILURE);
            assertThat(otherOperator.out())
                    .contains("PROBLEM  acknowledgement of " + finding + " by alice: signed by " + aliceKey)
                    .contains("NOT CHECKED");

            // Whoever can write the bucket rewrites the reason; the signature no longer verifies.
            Path stored = ackObjects().getFirst();
            String key = dir.resolve("repo").relativize(stored).toString().replace('\\', '/');
            ObjectStore raw = ObjectStores.localDirectory(dir.resolve("repo"), Clock.systemUTC());
            String document;
            try (ObjectStream in = raw.get(key)) {
                document = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            byte[] rewritten = document.replace("incident 4411", "incident 1").getBytes(StandardCharsets.UTF_8);
            raw.put(PutRequest.overwrite(
                    key, ObjectBody.ofBytes(rewritten), Checksum.of(ChecksumAlgorithm.CRC32C, rewritten), Map.of()));
            CliRun after = CliRun.of("status", "--config", r1.toString());
            assertThat(after.out())
                    .contains("OPEN FINDING " + finding)
                    .doesNotContain("ACKNOWLEDGED FINDING " + finding);
            CliRun report = CliRun.of(
                    "report",
                    "--config",
                    r1.toString(),
                    "--out",
                    dir.resolve("second").toString());
            assertThat(report.out() + report.err())
                    .contains("cannot read " + key)
                    .contains("its signature by " + aliceKey + " does not verify");
        }
    }

    private static String publicKey(CliRun keygen) {
        assertThat(keygen.exitCode()).as(keygen.err()).isEqualTo(ExitCodes.OK);
        return keygen.out().lines().toList().get(1);
    }

    private List<Path> ackObjects() throws Exception {
        Path acks = dir.resolve("repo/acks");
        if (!Files.exists(acks)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(acks)) {
            return files.filter(p -> p.toString().endsWith(".json")).toList();
        }
    }

    private static Path reportJson(Path out) throws Exception {
        try (Stream<Path> files = Files.list(out)) {
            return files.filter(
                            p -> p.toString().endsWith(".json") && !p.toString().endsWith(".seal.json"))
                    .findFirst()
                    .orElseThrow();
        }
    }
}
