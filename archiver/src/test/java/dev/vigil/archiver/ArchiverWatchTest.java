package dev.vigil.archiver;

import static dev.vigil.archiver.ArchiverFixture.archiver;
import static dev.vigil.archiver.ArchiverFixture.walKeys;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.config.ArchiveConfig;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.demo.node.ReplicationGroup;
import dev.vigil.demo.node.SimulatedReplica;
import dev.vigil.testkit.alert.RecordingAlerts;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's archiver learns of sealed segments and new partitions from the file system: a seal asks for a pass at
 * once, and a pass then ships it; idle partitions are reported without being looked at again.
 */
class ArchiverWatchTest {

    @TempDir
    Path dir;

    private final Clock clock = Clock.systemUTC();
    private final RecordingAlerts alerts = new RecordingAlerts();
    private ObjectStore store;
    private ReplicationGroup first;

    @BeforeEach
    void setUp() throws Exception {
        store = ObjectStores.localDirectory(dir.resolve("repository"), clock);
        first = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                .replicas("r1")
                .recordsPerSegment(50)
                .build();
    }

    @AfterEach
    void tearDown() throws Exception {
        first.close();
        store.close();
    }

    /** Waits for a condition (the watch's events arrive on its own thread), never for a fixed time. */
    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void aSealAsksForAPassAndANewPartitionIsFound() throws Exception {
        SimulatedReplica r1 = first.replica("r1");
        first.write(100); // two sealed segments
        AtomicInteger requested = new AtomicInteger();
        try (Archiver archiver = archiver(r1, store, alerts, clock, ArchiveConfig.defaults())) {
            archiver.watch(requested::incrementAndGet);
            ArchiveReport firstPass = archiver.runPass();
            assertThat(firstPass.uploaded()).isEqualTo(2);

            int before = requested.get();
            first.write(50); // seals a third
            await(() -> requested.get() > before, "the seal asks for a pass");
            ArchiveReport afterSeal = archiver.runPass();
            assertThat(afterSeal.uploaded()).isEqualTo(1);
            assertThat(walKeys(store, r1, "p-0001")).hasSize(3);

            ArchiveReport idle = archiver.runPass();
            assertThat(idle.uploaded()).isZero();
            assertThat(idle.partitions()).singleElement().satisfies(p -> {
                assertThat(p.partition()).isEqualTo("p-0001");
                assertThat(p.archivedLsn()).isEqualTo(150);
            });

            int beforeNew = requested.get();
            try (ReplicationGroup second = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                    .partition("p-0002")
                    .replicas("r1")
                    .recordsPerSegment(50)
                    .build()) {
                second.write(50);
                await(() -> requested.get() > beforeNew, "a new partition asks for a pass");
                ArchiveReport withNew = archiver.runPass();
                assertThat(withNew.uploaded()).isEqualTo(1);
                assertThat(withNew.partitions())
                        .extracting(PartitionReport::partition)
                        .containsExactly("p-0001", "p-0002");
            }
        }
    }

    @Test
    void withoutARescanIntervalNothingIsWatchedAndEveryPassScans() throws Exception {
        SimulatedReplica r1 = first.replica("r1");
        first.write(50);
        ArchiveConfig scanning = new ArchiveConfig(
                4,
                Duration.ofMinutes(5),
                Duration.ofMinutes(15),
                Duration.ofSeconds(5),
                Duration.ofMinutes(5),
                Duration.ofHours(1),
                Duration.ofMinutes(1),
                Duration.ZERO);
        AtomicInteger requested = new AtomicInteger();
        try (Archiver archiver = archiver(r1, store, alerts, clock, scanning)) {
            archiver.watch(requested::incrementAndGet);
            assertThat(archiver.runPass().uploaded()).isEqualTo(1);
            first.write(50);
            // No notification: the very next pass scans and finds the new segment.
            assertThat(archiver.runPass().uploaded()).isEqualTo(1);
            assertThat(requested.get()).isZero();
        }
    }
}
