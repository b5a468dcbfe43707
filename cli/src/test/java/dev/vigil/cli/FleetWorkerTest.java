package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.vigil.cli.config.ConfigLoader;
import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.repository.ReportAt;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.Verdict;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.demo.node.Divergence;
import dev.vigil.demo.node.ReplicationGroup;
import dev.vigil.demo.postgres.EmbeddedPostgresServer;
import dev.vigil.fleet.FleetDatabase;
import dev.vigil.testkit.time.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verification fleet end to end: node agents archive and scrub; workers on a real PostgreSQL judge every
 * replica's report once, naming a lost write from the sketches without any access to the nodes; a worker SIGKILLed at
 * seeded moments leaves nothing unjudged.
 */
class FleetWorkerTest {

    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final PartitionId P = PartitionId.of("p-0001");

    @TempDir
    Path dir;

    private Path nodeConfig(ReplicationGroup group, String replica, EmbeddedPostgresServer postgres) throws Exception {
        return NodeConfigs.local(
                dir.resolve(replica + ".yaml"),
                dir.resolve("repo"),
                dir.resolve("work-" + replica),
                group.replica(replica),
                "scrub:\n  rate: 0\n" + fleetSection(postgres));
    }

    private static String fleetSection(EmbeddedPostgresServer postgres) {
        return """
                fleet:
                  jdbc-url: %s
                  user: postgres
                  threads: 2
                  verify-every: 1s
                  poll-interval: 100ms
                  heartbeat: 200ms
                  missed-heartbeats: 4
                  discover-every: 200ms
                  retry-after: 200ms
                """.formatted(postgres.jdbcUrl());
    }

    private Path workerConfig(String name, EmbeddedPostgresServer postgres) throws Exception {
        return workerConfig(name, postgres, "");
    }

    private Path workerConfig(String name, EmbeddedPostgresServer postgres, String more) throws Exception {
        return Files.writeString(
                dir.resolve(name + ".yaml"),
                """
                repository:
                  url: %s
                work-dir: %s
                daemon:
                  http-port: 0
                  shutdown-timeout: 5s
                %s
                """.formatted(dir.resolve("repo").toUri(), dir.resolve("work-" + name), fleetSection(postgres)) + more);
    }

    private Repository repository() throws Exception {
        return new Repository(ObjectStores.localDirectory(dir.resolve("repo"), Clock.systemUTC()));
    }

    private void archiveAndScrub(ReplicationGroup group, EmbeddedPostgresServer postgres) throws Exception {
        archive(group, postgres);
        scrubAll(group, postgres);
    }

    private void archive(ReplicationGroup group, EmbeddedPostgresServer postgres) throws Exception {
        CliRun archived = CliRun.of(
                "archive", "--config", nodeConfig(group, "r1", postgres).toString());
        assertThat(archived.exitCode()).as(archived.out() + archived.err()).isEqualTo(ExitCodes.OK);
    }

    private void scrubAll(ReplicationGroup group, EmbeddedPostgresServer postgres) throws Exception {
        for (String replica : List.of("r1", "r2", "r3")) {
            CliRun scrub = CliRun.of(
                    "scrub", "--config", nodeConfig(group, replica, postgres).toString());
            assertThat(scrub.exitCode()).as(scrub.out() + scrub.err()).isEqualTo(ExitCodes.OK);
        }
    }

    @Test
    void twoWorkersJudgeEveryReportOnceAndNameALostWriteAndLongPhantomKeysWithoutTheNodes() throws Exception {
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dir.resolve("pg"));
                ReplicationGroup group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                        .replicas("r1", "r2", "r3")
                        .recordsPerSegment(100)
                        .keySpace(1_000_000)
                        .build();
                HttpClient http = HttpClient.newHttpClient()) {
            group.diverge("r2", 142, Divergence.DROP_FROM_STORE);
            group.write(330);
            group.sealAll();
            // Keys only r2 holds, longer than a sketch cell carries: only the node could name them, unless the scrub
            // brings them.
            String phantom = "tenant-0042/orders/" + "9".repeat(29);
            String huge = "blobs/" + "0123456789".repeat(409).substring(0, 4090);
            assertThat(phantom).hasSize(48);
            assertThat(huge).hasSize(4096);
            group.replica("r2").db().put(phantom.getBytes(StandardCharsets.UTF_8), new byte[] {1});
            group.replica("r2").db().put(huge.getBytes(StandardCharsets.UTF_8), new byte[] {2});
            archiveAndScrub(group, postgres);
            Repository repository = repository();
            assertThat(repository.judged(P)).isEmpty();

            try (RunningWorker w1 = RunningWorker.start(workerConfig("w1", postgres), "w1");
                    RunningWorker w2 = RunningWorker.start(workerConfig("w2", postgres), "w2")) {
                Await.until(() -> judged(repository).size() == 3, WAIT, "all three reports were judged");

                assertThat(repository.readVerdict(P, new ReportAt(330, ReplicaId.of("r1"))))
                        .hasValueSatisfying(v -> assertThat(v.status()).isEqualTo(Verdict.Status.CLEAN));
                assertThat(repository.readVerdict(P, new ReportAt(330, ReplicaId.of("r3"))))
                        .hasValueSatisfying(v -> assertThat(v.status()).isEqualTo(Verdict.Status.CLEAN));
                String lostKey = new String(group.history().get(141).key(), StandardCharsets.UTF_8);
                Verdict diverged = repository
                        .readVerdict(P, new ReportAt(330, ReplicaId.of("r2")))
                        .orElseThrow();
                assertThat(diverged.status()).isEqualTo(Verdict.Status.REPLICA_DIVERGED);
                assertThat(diverged.localisation()).isEqualTo(Verdict.BY_SKETCH);
                assertThat(diverged.differences())
                        .containsExactlyInAnyOrder(
                                new Verdict.Difference(lostKey, Verdict.Difference.Kind.MISSING_ON_REPLICA),
                                new Verdict.Difference(phantom, Verdict.Difference.Kind.EXTRA_ON_REPLICA),
                                new Verdict.Difference(huge, Verdict.Difference.Kind.EXTRA_ON_REPLICA));

                Await.until(
                        () -> w1.worker()
                                .fleet()
                                .stats()
                                .filter(s -> s.neverVerified() == 0)
                                .isPresent(),
                        WAIT,
                        "the fleet records the verification");
                JsonNode health = new ObjectMapper()
                        .readTree(get(http, w1.worker().httpPort(), "/health").body());
                assertThat(health.path("status").asText()).as(health.toString()).isEqualTo("UP");
                assertThat(health.path("database").path("reachable").asBoolean())
                        .isTrue();
                assertThat(health.path("fleet").path("partitions").asLong()).isEqualTo(1);
                assertThat(health.path("jobs").has("report")).isTrue();
                String metrics = get(http, w2.worker().httpPort(), "/metrics").body();
                assertThat(metrics).contains("vigil_fleet_database_up 1.0", "vigil_fleet_partitions 1.0");
                String both =
                        metrics + get(http, w1.worker().httpPort(), "/metrics").body();
                assertThat(both)
                        .as("the worker that judged the partition exports its reference's size")
                        .containsPattern(
                                "(?m)^vigil_reference_disk_bytes\\{partition=\"" + P.value() + "\"} [1-9][0-9.E]*$");
                assertThat(DeployedMonitoring.metricNames())
                        .filteredOn(name -> name.startsWith("vigil_fleet_"))
                        .isNotEmpty()
                        .allSatisfy(name -> assertThat(metrics)
                                .as("deploy/ uses " + name + ", which a worker exports")
                                .containsPattern("(?m)^" + name + "[ {]"));
            }
        }
    }

    @Test
    void aWorkerSigkilledRightAfterStoringAVerdictLosesNoAlert() throws Exception {
        List<String> delivered = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch inDelivery = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch killed = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger divergedPosts = new java.util.concurrent.atomic.AtomicInteger();
        com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 8);
        receiver.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        receiver.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (body.contains("\"REPLICA_DIVERGED\"") && divergedPosts.getAndIncrement() == 0) {
                // The first worker stored the verdict and is handing its alert over: it dies now, unanswered.
                inDelivery.countDown();
                try {
                    killed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
                return;
            }
            delivered.add(body);
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        String alerts = """
                alerts:
                  - type: webhook
                    url: http://127.0.0.1:%d/hook
                    timeout: 2m
                    max-attempts: 1
                """.formatted(receiver.getAddress().getPort());
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dir.resolve("pg"));
                ReplicationGroup group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                        .replicas("r1", "r2", "r3")
                        .recordsPerSegment(100)
                        .keySpace(1_000_000)
                        .build()) {
            group.diverge("r2", 142, Divergence.DROP_FROM_STORE);
            group.write(330);
            group.sealAll();
            archiveAndScrub(group, postgres);
            Repository repository = repository();
            ProcessBuilder command = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            Main.class.getName(),
                            "worker",
                            "--config",
                            workerConfig("doomed", postgres, alerts).toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("doomed.log").toFile());
            Process doomed = command.start();
            try {
                assertThat(inDelivery.await(2, TimeUnit.MINUTES))
                        .as(
                                "the doomed worker delivers the alert; its log:%n%s",
                                Files.readString(dir.resolve("doomed.log")))
                        .isTrue();
                doomed.destroyForcibly(); // SIGKILL: nothing runs after this
                assertThat(doomed.waitFor(30, TimeUnit.SECONDS)).isTrue();
            } finally {
                doomed.destroyForcibly();
                killed.countDown();
            }
            ReportAt r2 = new ReportAt(330, ReplicaId.of("r2"));
            assertThat(repository.readVerdict(P, r2))
                    .hasValueSatisfying(v -> assertThat(v.status()).isEqualTo(Verdict.Status.REPLICA_DIVERGED));
            assertThat(repository.pendingAlerts(P)).containsOnlyKeys(r2);
            assertThat(delivered).noneMatch(body -> body.contains("REPLICA_DIVERGED"));

            try (RunningWorker survivor = RunningWorker.start(workerConfig("survivor", postgres, alerts), "survivor")) {
                Await.until(
                        () -> judged(repository).size() == 3
                                && pendingAlerts(repository).isEmpty()
                                && delivered.stream().anyMatch(body -> body.contains("REPLICA_DIVERGED")),
                        WAIT,
                        "the survivor judged the rest and delivered the dead worker's alert");
                assertThat(survivor.worker().fleet().worker()).isEqualTo("survivor");
            }
            List<String> diverged = delivered.stream()
                    .filter(body -> body.contains("REPLICA_DIVERGED"))
                    .toList();
            assertThat(diverged)
                    .singleElement()
                    .satisfies(body -> assertThat(body)
                            .contains("REPLICA_DIVERGED|p-0001|r2", "at LSN 330", "missing on replica"));
        } finally {
            receiver.stop(0);
        }
    }

    private static java.util.Map<ReportAt, java.time.Instant> pendingAlerts(Repository repository) {
        try {
            return repository.pendingAlerts(P);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aPartitionWhoseReportsTheArchiveDoesNotReachStaysFailingUntilItDoes() throws Exception {
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dir.resolve("pg"));
                ReplicationGroup group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                        .replicas("r1", "r2", "r3")
                        .recordsPerSegment(100)
                        .build()) {
            group.write(300);
            group.sealAll();
            scrubAll(group, postgres); // scrubbed, but nothing archived yet
            Repository repository = repository();
            CliRun noWorkerYet = CliRun.of(
                    "status", "--config", workerConfig("status", postgres).toString());
            assertThat(noWorkerYet.exitCode()).isEqualTo(ExitCodes.FINDINGS);
            assertThat(noWorkerYet.out())
                    .contains("ATTENTION the fleet database " + postgres.jdbcUrl() + " has no tasks yet: no worker"
                            + " (of this version: an older one creates fewer tables) has started; start one with vigil"
                            + " worker --config FILE");
            try (RunningWorker w1 = RunningWorker.start(workerConfig("w1", postgres), "w1")) {
                Await.until(
                        () -> w1.worker()
                                .fleet()
                                .stats()
                                .filter(s -> s.partitions() == 1 && s.failing() == 1 && s.neverVerified() == 1)
                                .isPresent(),
                        WAIT,
                        "the partition counts as failing, not verified");
                assertThat(judged(repository)).isEmpty();
                CliRun failing = CliRun.of(
                        "status", "--config", workerConfig("status", postgres).toString());
                assertThat(failing.exitCode()).as(failing.out() + failing.err()).isEqualTo(ExitCodes.FINDINGS);
                assertThat(failing.out())
                        .contains("fleet verification: failing (failing since 20")
                        .contains("run(s) in a row): ")
                        .contains("cannot be judged yet")
                        .contains("ATTENTION verification failing since");
                CliRun failingJson = CliRun.of(
                        "status", "--config", workerConfig("status", postgres).toString(), "--json");
                JsonNode document = new ObjectMapper().readTree(failingJson.out());
                assertThat(document.path("attention").asBoolean()).isTrue();
                JsonNode fleet = document.path("partitions").path(0).path("fleet");
                assertThat(fleet.path("state").asText()).as(fleet.toString()).isEqualTo("failing");
                assertThat(fleet.path("failures").asInt()).isPositive();
                assertThat(fleet.path("why").asText()).contains("cannot be judged yet");

                archive(group, postgres);

                Await.until(() -> judged(repository).size() == 3, WAIT, "the reports were judged once archived");
                Await.until(
                        () -> w1.worker()
                                .fleet()
                                .stats()
                                .filter(s -> s.failing() == 0 && s.neverVerified() == 0)
                                .isPresent(),
                        WAIT,
                        "the partition counts as verified");
                CliRun verified = CliRun.of(
                        "status", "--config", workerConfig("status", postgres).toString());
                assertThat(verified.out())
                        .containsPattern("fleet verification: (scheduled|running|waiting) \\(.*last verified 20")
                        .doesNotContain("verification failing")
                        .doesNotContain("failing since");
            }
        }
    }

    @Test
    void aWorkerWithoutAFleetOrWithAnUnreachableDatabaseSaysWhatToCheck() throws Exception {
        Path noFleet = Files.writeString(
                dir.resolve("no-fleet.yaml"),
                "repository:\n  url: " + dir.resolve("repo").toUri() + "\nwork-dir: " + dir.resolve("w") + "\n");
        CliRun refused = CliRun.of("worker", "--config", noFleet.toString());
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.err()).contains("fleet: is required by 'vigil worker'");

        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort(); // free now, closed below: nothing listens there
        }
        Path unreachable = Files.writeString(dir.resolve("unreachable.yaml"), """
                repository:
                  url: %s
                work-dir: %s
                daemon:
                  http-port: 0
                fleet:
                  jdbc-url: jdbc:postgresql://127.0.0.1:%d/vigil
                """.formatted(
                        dir.resolve("repo").toUri(), dir.resolve("w"), port));
        Files.createDirectories(dir.resolve("repo"));
        CliRun down = CliRun.of("worker", "--config", unreachable.toString());
        assertThat(down.exitCode()).as(down.out() + down.err()).isEqualTo(ExitCodes.FAILURE);
        assertThat(down.err())
                .contains("cannot use the fleet database jdbc:postgresql://127.0.0.1:" + port + "/vigil")
                .contains("refused")
                .contains("VIGIL_FLEET_PASSWORD");

        CliRun status = CliRun.of("status", "--config", unreachable.toString());
        assertThat(status.exitCode()).as(status.out() + status.err()).isEqualTo(ExitCodes.FAILURE);
        assertThat(status.out())
                .contains("ATTENTION the fleet database jdbc:postgresql://127.0.0.1:" + port + "/vigil could not be"
                        + " read (waited up to 20s to connect and for each answer): ")
                .contains("the partitions' verification is unknown");
    }

    @Test
    void aWorkerKilledAtSeededMomentsLeavesEveryReportJudgedExactlyOnce() throws Exception {
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dir.resolve("pg"));
                ReplicationGroup group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                        .replicas("r1", "r2", "r3")
                        .recordsPerSegment(1000)
                        .keySpace(1_000_000)
                        .build()) {
            Repository repository = repository();
            HikariDataSource database = FleetDatabase.dataSource(
                    ConfigLoader.load(workerConfig("observer", postgres))
                            .fleet()
                            .orElseThrow(),
                    Map.of());
            SplittableRandom seeds = new SplittableRandom(20261202);
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            List<String> rounds = new ArrayList<>();
            for (int round = 1; round <= 3; round++) {
                group.write(60_000);
                group.sealAll();
                archiveAndScrub(group, postgres);
                int expected = judged(repository).size() + 3;
                ProcessBuilder doomedCommand = new ProcessBuilder(
                                java.toString(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                Main.class.getName(),
                                "worker",
                                "--config",
                                workerConfig("doomed", postgres).toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("doomed-" + round + ".log").toFile());
                doomedCommand.environment().put("VIGIL_LOG_LEVEL", "INFO");
                Process doomed = doomedCommand.start();
                long killAfterMillis = seeds.nextLong(0, 600);
                Path log = dir.resolve("doomed-" + round + ".log");
                try {
                    try {
                        Await.until(
                                () -> picked(database) || judged(repository).size() == expected,
                                WAIT,
                                "the doomed worker took the partition");
                    } catch (AssertionError e) {
                        Process jcmd = new ProcessBuilder(
                                        Path.of(System.getProperty("java.home"), "bin", "jcmd")
                                                .toString(),
                                        Long.toString(doomed.pid()),
                                        "Thread.print")
                                .redirectErrorStream(true)
                                .start();
                        String threads = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                        throw new AssertionError(
                                e.getMessage() + "; alive " + doomed.isAlive() + "; tasks " + rows(database, "true")
                                        + "; judged " + judged(repository) + "; its log:\n" + Files.readString(log)
                                        + "\n" + threads,
                                e);
                    }
                    Thread.sleep(killAfterMillis); // the seeded moment of the kill, not a wait for a condition
                    doomed.destroyForcibly();
                    assertThat(doomed.waitFor(30, TimeUnit.SECONDS)).isTrue();
                } finally {
                    doomed.destroyForcibly();
                }
                int judgedAtKill = judged(repository).size();
                try (RunningWorker survivor = RunningWorker.start(workerConfig("survivor", postgres), "survivor")) {
                    assertThat(survivor.worker().fleet().worker()).isEqualTo("survivor");
                    Await.until(
                            () -> judged(repository).size() == expected,
                            WAIT,
                            "every report of round " + expected / 3 + " was judged");
                }
                rounds.add("killed " + killAfterMillis + " ms after taking the task, " + (judgedAtKill - expected + 3)
                        + " of 3 verdicts written by then");
                for (ReportAt at : judged(repository)) {
                    Verdict verdict = repository.readVerdict(P, at).orElseThrow();
                    assertThat(verdict.status()).as(at.toString()).isEqualTo(Verdict.Status.CLEAN);
                }
            }
            assertThat(judged(repository)).hasSize(9);
            database.close();
            System.out.println("seeded kills: " + rounds);
        }
    }

    private static List<ReportAt> judged(Repository repository) {
        try {
            return List.copyOf(repository.judged(P));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a worker holds the partition's task now. */
    private static boolean picked(DataSource database) {
        return !rows(database, "task_name = 'verify-partition' and picked").isEmpty();
    }

    /** The verification task's rows matching {@code condition}, as text (for assertions and messages). */
    private static List<String> rows(DataSource database, String condition) {
        try (Connection connection = database.getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("select task_name, task_instance, picked, picked_by,"
                        + " execution_time, last_success, last_failure from scheduled_tasks where " + condition)) {
            List<String> found = new ArrayList<>();
            while (row.next()) {
                found.add(row.getString(1) + "/" + row.getString(2) + " picked=" + row.getBoolean(3) + " by "
                        + row.getString(4) + " due " + row.getString(5) + " success " + row.getString(6)
                        + " failure " + row.getString(7));
            }
            return found;
        } catch (java.sql.SQLException e) {
            return List.of(); // the table does not exist until a worker has started
        }
    }

    private static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
