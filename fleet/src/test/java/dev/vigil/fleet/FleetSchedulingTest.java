package dev.vigil.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.PartitionId;
import dev.vigil.core.config.FleetConfig;
import dev.vigil.testkit.time.Await;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several workers in one JVM on one real PostgreSQL: each partition verified once per cycle, singletons once. */
class FleetSchedulingTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    static Path dir;

    private static TestDatabase database;
    private final List<Fleet> workers = new ArrayList<>();
    private final RecordingWork work = new RecordingWork();
    private DataSource source;

    @BeforeAll
    static void startDatabase() throws Exception {
        database = new TestDatabase(dir.resolve("pg"));
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        database.close();
    }

    @BeforeEach
    void emptyTable() throws Exception {
        source = database.dataSource(database.config());
        database.clear(source);
    }

    @AfterEach
    void stopWorkers() {
        workers.forEach(Fleet::close);
    }

    private Fleet worker(String name, FleetConfig config, List<FleetJob> jobs) throws Exception {
        Fleet fleet = Fleet.start(
                config,
                database.dataSource(config),
                name,
                work,
                jobs,
                Duration.ofSeconds(5),
                new SimpleMeterRegistry(),
                alert -> {},
                Clock.systemUTC());
        workers.add(fleet);
        return fleet;
    }

    @Test
    void aWorkerNamesTheTasksItRunsAsTaskSlashPartitionEvenWhenThePartitionHoldsAnUnderscore() throws Exception {
        PartitionId partition = PartitionId.of("tenant_7");
        work.partitions.add(partition);
        work.held.add(partition);
        Fleet worker = worker("w1", database.config(), List.of());
        try {
            Await.until(
                    () -> worker.running().stream().anyMatch(t -> t.endsWith("tenant_7")),
                    WAIT,
                    "the worker runs the partition's verification");
            // Other tasks (the recurring discovery) may run meanwhile: those of the partition are the point.
            assertThat(worker.running())
                    .contains(Fleet.VERIFY_PARTITION + "/tenant_7")
                    .doesNotContain(Fleet.VERIFY_PARTITION + "_tenant_7")
                    .filteredOn(task -> task.contains("tenant_7"))
                    .allSatisfy(task -> assertThat(task).matches("[a-z-]+/tenant_7"));
        } finally {
            work.release.countDown();
        }
        Await.until(() -> work.count(partition) == 1, WAIT, "the verification finished");
    }

    @Test
    void threeWorkersVerifyAThousandPartitionsEachOnceInACycle() throws Exception {
        for (int i = 0; i < 1000; i++) {
            work.partitions.add(PartitionId.of(String.format("p%04d", i)));
        }
        FleetConfig config = database.config();
        Fleet first = worker("w1", config, List.of());
        worker("w2", config, List.of());
        worker("w3", config, List.of());

        Await.until(() -> work.verified.size() == 1000, WAIT, "every partition was verified");
        Await.until(
                () -> first.stats().filter(s -> s.neverVerified() == 0).isPresent(),
                WAIT,
                "the database records every verification");

        assertThat(work.overlapping)
                .as("partitions verified by two workers at once")
                .isEmpty();
        assertThat(work.verified.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        Await.until(() -> work.archiveVerified.size() == 1000, WAIT, "every partition's archive was verified");
        assertThat(work.archiveVerified.values())
                .allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        Await.until(() -> work.snapshotted.size() == 1000, WAIT, "every partition's snapshot task ran");
        assertThat(work.snapshotted.values())
                .allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        FleetStats stats = first.stats().orElseThrow();
        assertThat(stats.partitions()).isEqualTo(1000);
        assertThat(stats.overdue()).isZero();
        assertThat(stats.failing()).isZero();
        // Each is due again one verify-every after its run: nothing is left due in this cycle.
        try (Connection connection = source.getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("select count(*), count(distinct picked_by) from"
                        + " scheduled_tasks where task_name = 'verify-partition' and execution_time > now() +"
                        + " interval '50 minutes'")) {
            row.next();
            assertThat(row.getLong(1)).isEqualTo(1000);
        }
    }

    @Test
    void theObsoleteFleetWideArchiveVerificationTaskIsRemovedAtStart() throws Exception {
        try (Connection connection = source.getConnection();
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("insert into scheduled_tasks (task_name, task_instance, execution_time, picked,"
                    + " version) values ('verify-archive', 'recurring', now(), false, 1)");
        }
        worker("w1", database.config(), List.of());
        try (Connection connection = source.getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(
                        "select count(*) from scheduled_tasks where task_name = 'verify-archive'")) {
            row.next();
            assertThat(row.getLong(1)).isZero();
        }
    }

    @Test
    void aSingletonRunsOncePerScheduledTimeWithThreeWorkers() throws Exception {
        List<Instant> runs = new CopyOnWriteArrayList<>();
        Set<String> ranOn = ConcurrentHashMap.newKeySet();
        FleetConfig config = database.config();
        for (String name : List.of("w1", "w2", "w3")) {
            FleetJob job = new FleetJob("report", "* * * * * ?", ZoneOffset.UTC, scheduledFor -> {
                runs.add(scheduledFor);
                ranOn.add(Thread.currentThread().getName());
            });
            worker(name, config, List.of(job));
        }

        Await.until(() -> runs.size() >= 6, WAIT, "the every-second job ran six times");

        List<Instant> seen = List.copyOf(runs);
        assertThat(seen).doesNotHaveDuplicates();
        assertThat(Set.copyOf(seen)).hasSameSizeAs(seen);
    }

    @Test
    void discoveryAddsNewPartitionsAndRetiresRemovedOnes() throws Exception {
        PartitionId kept = PartitionId.of("kept");
        PartitionId removed = PartitionId.of("removed");
        work.partitions.addAll(List.of(kept, removed));
        FleetConfig config = TestDatabase.fastConfig(database.jdbcUrl(), 4, Duration.ofMillis(200));
        worker("w1", config, List.of());
        Await.until(() -> work.count(kept) == 1 && work.count(removed) == 1, WAIT, "both partitions were verified");

        PartitionId added = PartitionId.of("added");
        work.partitions.add(added);
        work.partitions.remove(removed);

        Await.until(() -> work.count(added) == 1, WAIT, "the new partition was verified");
        Await.until(() -> instances().equals(Set.of("kept", "added")), WAIT, "the removed partition's task retired");
    }

    @Test
    void aFailingPartitionIsRetriedAndDoesNotHoldUpTheOthers() throws Exception {
        PartitionId failing = PartitionId.of("failing");
        PartitionId healthy = PartitionId.of("healthy");
        work.partitions.addAll(List.of(failing, healthy));
        work.failuresLeft.put(failing, new AtomicInteger(2));
        Fleet fleet = worker("w1", database.config(), List.of());

        Await.until(() -> work.count(healthy) == 1, WAIT, "the healthy partition was verified");
        Await.until(() -> work.count(failing) == 1, WAIT, "the failing partition succeeded on its third try");

        assertThat(work.failuresLeft.get(failing).get()).isEqualTo(-1); // two failures, then the success
        Await.until(
                () -> fleet.stats()
                        .filter(s -> s.failing() == 0 && s.neverVerified() == 0)
                        .isPresent(),
                WAIT,
                "no task is failing any more");
    }

    @Test
    void aPartitionStaysWithTheWorkerThatHoldsItsReferenceUntilThatWorkerStops() throws Exception {
        Set<PartitionId> partitions = new java.util.LinkedHashSet<>();
        for (int i = 0; i < 20; i++) {
            partitions.add(PartitionId.of(String.format("a%02d", i)));
        }
        Map<PartitionId, List<String>> verifiedBy = new ConcurrentHashMap<>();
        FleetConfig base = database.config();
        // Due again 200 ms after each verification; a partition waits up to a minute for its previous worker.
        FleetConfig config = new FleetConfig(
                base.jdbcUrl(),
                base.user(),
                base.threads(),
                Duration.ofMillis(200),
                base.verifyArchiveEvery(),
                base.snapshotEvery(),
                base.discoverEvery(),
                base.heartbeat(),
                base.missedHeartbeats(),
                base.pollInterval(),
                base.retryAfter(),
                base.overdueAfter(),
                0,
                Duration.ofMinutes(1),
                Optional.empty());
        Map<String, Fleet> byName = new java.util.LinkedHashMap<>();
        Map<String, ReadBudget> budgets = new java.util.LinkedHashMap<>();
        for (String name : List.of("w1", "w2")) {
            FleetWork recording = new FleetWork() {
                @Override
                public Set<PartitionId> partitions() {
                    return partitions;
                }

                @Override
                public String verifyPartition(PartitionId partition) {
                    verifiedBy
                            .computeIfAbsent(partition, p -> new CopyOnWriteArrayList<>())
                            .add(name);
                    return "ok";
                }

                @Override
                public String verifyArchive(PartitionId partition) {
                    return "ok";
                }

                @Override
                public String snapshotPartition(PartitionId partition) {
                    return "nothing new";
                }
            };
            ReadBudget budget = new ReadBudget(100_000_000);
            budgets.put(name, budget);
            Fleet fleet = Fleet.start(
                    config,
                    database.dataSource(config),
                    name,
                    recording,
                    List.of(),
                    budget,
                    Duration.ofSeconds(5),
                    new SimpleMeterRegistry(),
                    alert -> {},
                    Clock.systemUTC());
            workers.add(fleet);
            byName.put(name, fleet);
        }

        Await.until(
                () -> partitions.stream()
                        .allMatch(p -> verifiedBy.getOrDefault(p, List.of()).size() >= 5),
                WAIT,
                "every partition verified five times");
        assertThat(partitions)
                .allSatisfy(p -> assertThat(Set.copyOf(verifiedBy.get(p)))
                        .as(p.value() + " was verified by " + verifiedBy.get(p))
                        .hasSize(1));
        Await.until(
                () -> budgets.values().stream().allMatch(b -> b.rate() == 50_000_000),
                WAIT,
                "each of the two workers reads at half the fleet's budget");

        // The worker holding some partitions stops: once it is stale (heartbeat × missed-heartbeats, 800 ms here) the
        // other takes them, without waiting out the minute's affinity-wait.
        String stopping = verifiedBy.get(partitions.iterator().next()).getFirst();
        String other = stopping.equals("w1") ? "w2" : "w1";
        List<PartitionId> orphaned = partitions.stream()
                .filter(p -> verifiedBy.get(p).getFirst().equals(stopping))
                .toList();
        Fleet stopped = byName.get(stopping);
        stopped.close();
        workers.remove(stopped);
        Map<PartitionId, Integer> before = new java.util.HashMap<>();
        orphaned.forEach(p -> before.put(p, verifiedBy.get(p).size()));
        Await.until(
                () -> orphaned.stream().allMatch(p -> verifiedBy.get(p).size() > before.get(p)),
                Duration.ofSeconds(30),
                "the stopped worker's partitions verified by " + other);
        assertThat(orphaned)
                .allSatisfy(p -> assertThat(verifiedBy.get(p).getLast()).isEqualTo(other));
        Await.until(
                () -> budgets.get(other).rate() == 100_000_000, WAIT, "the remaining worker takes the whole budget");
        FleetStats stats = byName.get(other).stats().orElseThrow();
        assertThat(stats.neverVerified()).isZero();
    }

    private Set<String> instances() {
        try (Connection connection = source.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "select task_instance from scheduled_tasks where task_name = 'verify-partition'")) {
            Set<String> names = new java.util.TreeSet<>();
            while (rows.next()) {
                names.add(rows.getString(1));
            }
            return names;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
