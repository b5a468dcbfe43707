package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.store.PutRequest;
import dev.vigil.demo.node.ReplicationGroup;
import dev.vigil.demo.postgres.EmbeddedPostgresServer;
import dev.vigil.restore.Retention;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands whose answers stay true on a bad day: nothing created by a command that reads, nothing claimed that was
 * not checked, a damaged document named while everything else goes on, a bound on every wait, one owner per
 * directory.
 */
class AnswersThatStayTrueTest {

    @TempDir
    Path dir;

    private ReplicationGroup group;

    @BeforeEach
    void node() throws Exception {
        group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                .replicas("r1")
                .recordsPerSegment(100)
                .keySpace(1_000_000)
                .build();
        group.write(250);
        group.sealAll();
    }

    @AfterEach
    void close() throws Exception {
        group.close();
    }

    private Path config(Path repository, String extra) throws Exception {
        return NodeConfigs.local(
                dir.resolve("r1-" + repository.getFileName() + ".yaml"),
                repository,
                dir.resolve("work"),
                group.replica("r1"),
                "scrub:\n  rate: 0\n" + extra);
    }

    @Test
    void commandsThatOnlyReadNeverCreateTheRepositoryAndRetentionOnNothingIsNotASuccess() throws Exception {
        Path mistyped = dir.resolve("repositry");
        Path config = config(mistyped, "");
        for (String[] command : List.of(
                new String[] {"report", "--config", config.toString()},
                new String[] {"status", "--config", config.toString()},
                new String[] {"retention", "--config", config.toString()},
                new String[] {"verify", "archive", "--config", config.toString()},
                new String[] {"drill", "--config", config.toString()})) {
            CliRun run = CliRun.of(command);
            assertThat(run.exitCode())
                    .as(String.join(" ", command) + ": " + run.err())
                    .isEqualTo(ExitCodes.FAILURE);
            assertThat(run.err())
                    .contains("the repository " + mistyped.toUri() + " does not exist", "nothing was created");
            assertThat(mistyped).as("after " + command[0]).doesNotExist();
        }
        CliRun check = CliRun.of("check-config", "--config", config.toString(), "--connect");
        assertThat(check.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(mistyped).doesNotExist();

        Files.createDirectories(dir.resolve("empty"));
        CliRun retention = CliRun.of(
                "retention", "--config", config(dir.resolve("empty"), "").toString());
        assertThat(retention.exitCode()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(retention.err()).contains("nothing to apply retention to", "holds no archived partition");
    }

    @Test
    void aDamagedVerdictIsAFindingNamingItWhileStatusAndTheReportGoOn() throws Exception {
        Path config = config(dir.resolve("repo"), "");
        assertThat(CliRun.of("archive", "--config", config.toString()).exitCode())
                .isZero();
        assertThat(CliRun.of("verify", "replicas", "--config", config.toString())
                        .exitCode())
                .isZero();
        String damaged = RepositoryLayout.verdictKey(
                group.partition(), 250, group.replica("r1").id());
        try (ObjectStore store = ObjectStores.localDirectory(dir.resolve("repo"), Clock.systemUTC())) {
            byte[] truncated = "{\"version\":1,\"partition\":\"p-0001\",\"ls".getBytes(StandardCharsets.UTF_8);
            store.put(PutRequest.overwrite(
                    damaged,
                    ObjectBody.ofBytes(truncated),
                    Checksum.of(ChecksumAlgorithm.CRC32C, truncated),
                    Map.of()));
        }

        CliRun status = CliRun.of("status", "--config", config.toString());
        assertThat(status.exitCode()).as(status.err()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(status.out())
                .contains("ATTENTION cannot read " + damaged, "unreadable or damaged")
                .contains("p-0001  archived LSNs 1..250");

        Path out = dir.resolve("out");
        CliRun report = CliRun.of("report", "--config", config.toString(), "--out", out.toString());
        assertThat(report.exitCode()).as(report.err()).isEqualTo(ExitCodes.FINDINGS);
        JsonNode json;
        try (var files = Files.list(out)) {
            Path file = files.filter(f -> f.toString().endsWith(".json"))
                    .findFirst()
                    .orElseThrow();
            json = new ObjectMapper().readTree(file.toFile());
        }
        assertThat(json.get("unreadableDocuments").get(0).get("key").asText()).isEqualTo(damaged);
        JsonNode readable = null;
        for (JsonNode check : json.get("checks")) {
            if (check.get("requirement").asText().equals("EVIDENCE_READABLE")) {
                readable = check;
            }
        }
        assertThat(readable).isNotNull();
        assertThat(readable.get("passed").asBoolean()).isFalse();
        assertThat(json.get("partitions").get(0).get("partition").asText()).isEqualTo("p-0001");
    }

    @Test
    void theArchiveCommandWithTheRepositoryUnreachableExits3AndSaysSoFirst() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Path config = NodeConfigs.write(
                dir.resolve("unreachable.yaml"),
                """
                  url: s3://vigil-archive/prod
                  s3:
                    endpoint: http://127.0.0.1:%d
                    max-attempts: 1
                    connect-timeout: 1s
                """.formatted(closed),
                dir.resolve("work"),
                group.replica("r1"),
                "archive:\n  rpo: 1s\n");
        // Sealed an hour ago (a segment's seal time is its file's): beyond the RPO, so the lag is a finding too.
        try (var segments = Files.list(group.replica("r1").walDir())) {
            for (Path segment :
                    segments.filter(f -> f.toString().endsWith(".seg")).toList()) {
                Files.setLastModifiedTime(
                        segment,
                        java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(3_600)));
            }
        }
        CliRun archive = DefaultChainCredentials.wrong(() -> CliRun.of("archive", "--config", config.toString()));
        assertThat(archive.exitCode()).as(archive.out() + archive.err()).isEqualTo(ExitCodes.FAILURE);
        assertThat(archive.err())
                .startsWith("vigil archive: the repository could not be reached, nothing was archived in this pass");
        assertThat(archive.out()).contains("FINDING  archive lag");
    }

    @Test
    void aSecondDaemonForTheSameNodeOrWorkDirectoryRefusesNamingTheFirst() throws Exception {
        Path config = config(dir.resolve("repo"), "daemon:\n  http-port: 0\n");
        try (RunningDaemon first = RunningDaemon.start(config)) {
            CliRun second = CliRun.of("archive", "--config", config.toString());
            assertThat(second.exitCode()).isEqualTo(ExitCodes.FAILURE);
            assertThat(second.err())
                    .contains("work directory " + dir.resolve("work") + " is already in use by this process")
                    .contains("vigil daemon for node r1 (pid ");
            // Another work directory, the same node: the node's root is locked too.
            Path elsewhere = NodeConfigs.local(
                    dir.resolve("elsewhere.yaml"), dir.resolve("repo"), dir.resolve("work-2"), group.replica("r1"), "");
            CliRun third = CliRun.of("archive", "--config", elsewhere.toString());
            assertThat(third.exitCode()).isEqualTo(ExitCodes.FAILURE);
            assertThat(third.err()).contains("node root " + group.replica("r1").root() + " is already in use");
            assertThat(first.daemon().httpPort()).isPositive();
        }
        assertThat(CliRun.of("archive", "--config", config.toString()).exitCode())
                .isZero();
    }

    @Test
    void statusGivesUpWithinItsTimeoutSayingWhatItWaitedFor() throws Exception {
        // A "database" that accepts the connection and never answers: a frozen PostgreSQL.
        try (ServerSocket frozen = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread accepter = Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (true) {
                        frozen.accept();
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            Path config = config(dir.resolve("repo"), """
                    fleet:
                      jdbc-url: jdbc:postgresql://127.0.0.1:%d/vigil
                    """.formatted(frozen.getLocalPort()));
            Files.createDirectories(dir.resolve("repo"));
            long started = System.nanoTime();
            CliRun status = CliRun.of("status", "--config", config.toString(), "--timeout", "3s");
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            assertThat(status.exitCode()).as(status.out() + status.err()).isEqualTo(ExitCodes.FAILURE);
            assertThat(status.out())
                    .contains("ATTENTION the fleet database jdbc:postgresql://127.0.0.1:" + frozen.getLocalPort()
                            + "/vigil could not be read")
                    .contains("the partitions' verification is unknown");
            assertThat(seconds).as("bounded by --timeout, not by the database").isLessThan(30);
            accepter.interrupt();
        }
    }

    @Test
    void checkConfigConnectChecksTheFleetDatabaseAndTheAlertReceiversAndNamesEach() throws Exception {
        HttpServer receivers = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        receivers.createContext("/", exchange -> {
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/api/v2/status") ? 200 : 405, -1);
            exchange.close();
        });
        receivers.start();
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dir.resolve("pg"))) {
            String receiver = "http://127.0.0.1:" + receivers.getAddress().getPort();
            Files.createDirectories(dir.resolve("repo"));
            Path good = config(dir.resolve("repo"), """
                    alerts:
                      - type: webhook
                        url: %s/hook
                      - type: alertmanager
                        url: %s
                    fleet:
                      jdbc-url: %s
                      user: postgres
                    """.formatted(receiver, receiver, postgres.jdbcUrl()));
            CliRun ok = CliRun.of("check-config", "--config", good.toString(), "--connect");
            assertThat(ok.exitCode()).as(ok.out() + ok.err()).isZero();
            assertThat(ok.out())
                    .contains("fleet       database " + postgres.jdbcUrl() + " answers as user postgres (PostgreSQL")
                    .contains("alerts      webhook http://127.0.0.1:"
                            + receivers.getAddress().getPort() + "/… answers (HTTP 405 to a GET; no alert was sent)")
                    .contains("alerts      alertmanager " + receiver + " answers its v2 API")
                    .contains("work-dir    " + dir.resolve("work"));

            Path wrongUser = config(dir.resolve("repo"), """
                    fleet:
                      jdbc-url: %s
                      user: nobody-here
                    """.formatted(postgres.jdbcUrl()));
            CliRun refused = CliRun.of("check-config", "--config", wrongUser.toString(), "--connect");
            assertThat(refused.exitCode()).isEqualTo(ExitCodes.FAILURE);
            assertThat(refused.err()).contains("vigil check-config: fleet: database", "did not accept this worker");
        } finally {
            receivers.stop(0);
        }
    }

    @Test
    void helpOfASubcommandIsTheSubcommandsAndDrillNamesWhereItRecorded() throws Exception {
        CliRun help = CliRun.of("help", "verify", "archive");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Usage: vigil verify archive", "--sample");
        CliRun unknown = CliRun.of("help", "verify", "everything");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("no command 'verify everything'", "vigil verify has: archive, replicas");

        Path config = config(dir.resolve("repo"), "");
        assertThat(CliRun.of("archive", "--config", config.toString()).exitCode())
                .isZero();
        CliRun drill = CliRun.of("drill", "--config", config.toString());
        assertThat(drill.exitCode()).as(drill.out() + drill.err()).isZero();
        assertThat(drill.out())
                .contains("recorded under partitions/p-0001/drills/ in ")
                .doesNotContain("<partition>");
    }

    @Test
    void retentionJsonPrintsObjectLockDatesAsText() throws Exception {
        StringWriter out = new StringWriter();
        CommandSupport.printJson(
                new PrintWriter(out, true),
                List.of(new Retention.PartitionOutcome(
                        "p-0001",
                        List.of(),
                        0,
                        List.of(),
                        List.of(),
                        Optional.empty(),
                        Optional.empty(),
                        List.of(),
                        List.of(new Retention.Locked(
                                "partitions/p-0001/wal/a.seg", Instant.parse("2026-12-09T10:00:00Z"))))));
        assertThat(out.toString()).contains("\"until\" : \"2026-12-09T10:00:00Z\"");
    }
}
