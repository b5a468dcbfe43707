package dev.vigil.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.PartitionId;
import dev.vigil.core.config.FleetConfig;
import dev.vigil.testkit.time.Await;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker SIGKILLed mid-task, and PostgreSQL stopped and restarted under a running worker. */
class FleetFailureTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void aTaskOfAWorkerKilledMidRunIsTakenOverAndCompletedOnce() throws Exception {
        try (TestDatabase database = new TestDatabase(dir.resolve("pg"))) {
            PartitionId partition = PartitionId.of("orders-7");
            Path marker = dir.resolve("started");
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process doomed = new ProcessBuilder(
                            java.toString(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            FleetWorkerProcess.class.getName(),
                            database.jdbcUrl(),
                            marker.toString(),
                            partition.value())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("doomed.log").toFile())
                    .start();
            try {
                Await.until(() -> Files.exists(marker), WAIT, "the doomed worker started verifying " + partition);
                doomed.destroyForcibly(); // SIGKILL: no shutdown hook, no release of the task
                assertThat(doomed.waitFor(30, TimeUnit.SECONDS)).isTrue();
            } finally {
                doomed.destroyForcibly();
            }
            DataSource source = database.dataSource(database.config());
            assertThat(pickedBy(source, partition)).isEqualTo("doomed");

            RecordingWork work = new RecordingWork();
            work.partitions.add(partition);
            try (Fleet survivor = start(database, database.config(), work, "survivor")) {
                Await.until(() -> work.count(partition) == 1, WAIT, "the survivor completed the dead worker's task");
                assertThat(work.overlapping).isEmpty();
                Await.until(
                        () -> survivor.stats()
                                .filter(s -> s.neverVerified() == 0)
                                .isPresent(),
                        WAIT,
                        "the database records the verification");
            }
            assertThat(work.count(partition)).isEqualTo(1);
        }
    }

    @Test
    void aWorkerReportsTheDatabaseDownAndResumesWhenItIsBack() throws Exception {
        try (TestDatabase database = new TestDatabase(dir.resolve("pg"))) {
            FleetConfig config = TestDatabase.fastConfig(database.jdbcUrl(), 2, Duration.ofMillis(200));
            RecordingWork work = new RecordingWork();
            PartitionId before = PartitionId.of("before");
            work.partitions.add(before);
            try (Fleet worker = start(database, config, work, "w1")) {
                Await.until(() -> work.count(before) == 1, WAIT, "the first partition was verified");
                Await.until(() -> worker.databaseProblem().isEmpty(), WAIT, "the worker reads the database");

                database.stop();
                Await.until(() -> worker.databaseProblem().isPresent(), WAIT, "the worker noticed the outage");
                PartitionId during = PartitionId.of("during");
                work.partitions.add(during); // appears while the database is down

                database.restart();
                Await.until(() -> worker.databaseProblem().isEmpty(), WAIT, "the worker reconnected");
                Await.until(() -> work.count(during) == 1, WAIT, "the partition found after the restart was verified");
                assertThat(work.count(before)).isEqualTo(1);
                assertThat(work.overlapping).isEmpty();
            }
        }
    }

    private static Fleet start(TestDatabase database, FleetConfig config, RecordingWork work, String name)
            throws Exception {
        return Fleet.start(
                config,
                database.dataSource(config),
                name,
                work,
                List.of(),
                Duration.ofSeconds(5),
                new SimpleMeterRegistry(),
                alert -> {},
                Clock.systemUTC());
    }

    private static String pickedBy(DataSource source, PartitionId partition) throws Exception {
        try (Connection connection = source.getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(
                        "select picked_by from scheduled_tasks where task_name = 'verify-partition' and task_instance = '"
                                + partition.value() + "'")) {
            row.next();
            return row.getString(1);
        }
    }
}
