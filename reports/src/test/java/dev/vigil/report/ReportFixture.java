package dev.vigil.report;

import dev.vigil.archiver.Archiver;
import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.AlertDispatcher;
import dev.vigil.core.alert.AlertPublisher;
import dev.vigil.core.alert.RepositoryAlertSink;
import dev.vigil.core.config.ArchiveConfig;
import dev.vigil.core.config.NodeConfig;
import dev.vigil.core.config.RetentionConfig;
import dev.vigil.core.config.ScrubConfig;
import dev.vigil.core.config.VerifyConfig;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.repository.DrillRecord;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.demo.node.ReplicationGroup;
import dev.vigil.demo.node.SimulatedReplica;
import dev.vigil.reference.Judge;
import dev.vigil.replay.snapshot.SnapshotException;
import dev.vigil.replay.snapshot.Snapshots;
import dev.vigil.restore.RestoreDrill;
import dev.vigil.restore.Restorer;
import dev.vigil.scrubber.ArchiveVerifier;
import dev.vigil.scrubber.RetainedCheckpoints;
import dev.vigil.scrubber.RocksDbReplicaSource;
import dev.vigil.scrubber.Scrubber;
import dev.vigil.testkit.alert.RecordingAlerts;
import dev.vigil.testkit.time.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;

/**
 * A three-replica partition run through the real services on a fake clock: the archiver of every node, archive
 * verification, scrubs, the judge and restore drills, with every alert recorded in the repository the way a
 * daemon records them. Each step moves the clock, so lags and ages in a report are exact.
 */
final class ReportFixture implements AutoCloseable {

    static final Instant START = Instant.parse("2026-11-20T00:00:00Z");
    static final int BITS = 8;
    static final Duration ARCHIVE_DELAY = Duration.ofSeconds(30);

    final MutableClock clock = new MutableClock(START);
    final RecordingAlerts recorded = new RecordingAlerts();
    final ReplicationGroup group;
    final ObjectStore store;
    final AlertDispatcher dispatcher;
    final AlertPublisher alerts;
    private final Path dir;
    private final RocksDbReplicaSource source;

    ReportFixture(Path dir, int keySpace) throws IOException {
        this.dir = dir;
        this.store = ObjectStores.localDirectory(dir.resolve("repo"), clock);
        this.group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                .replicas("r1", "r2", "r3")
                .recordsPerSegment(100)
                .keySpace(keySpace)
                .clock(clock)
                .build();
        this.dispatcher =
                new AlertDispatcher("test", List.of(new RepositoryAlertSink(store, "test-host")), clock, Duration.ZERO);
        this.alerts = (Alert alert) -> {
            recorded.raise(alert);
            dispatcher.raise(alert);
            try {
                // A daemon records alerts a moment later; the fixture's reports must see them at once.
                if (!dispatcher.flush(Duration.ofSeconds(30))) {
                    throw new IllegalStateException("alert not recorded within 30 s: " + alert);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        };
        this.source = new RocksDbReplicaSource(dir.resolve("scratch"));
    }

    /** Writes {@code records} at the current time, seals, and archives them {@link #ARCHIVE_DELAY} later from every node. */
    void writeAndArchive(int records) throws IOException {
        group.write(records);
        group.sealAll();
        clock.advance(ARCHIVE_DELAY);
        archive();
    }

    void archive() throws IOException {
        for (SimulatedReplica replica : group.replicas()) {
            try (Archiver archiver = new Archiver(
                    new Repository(store),
                    node(replica),
                    ArchiveConfig.defaults(),
                    alerts,
                    new SimpleMeterRegistry(),
                    clock,
                    new SplittableRandom(1))) {
                archiver.runPass();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }

    void verifyArchive() {
        new ArchiveVerifier(
                        new Repository(store),
                        Optional.empty(),
                        new VerifyConfig(Duration.ZERO),
                        Duration.ofMinutes(15),
                        alerts,
                        clock,
                        new SplittableRandom(2))
                .verify(Optional.empty(), OptionalDouble.empty());
    }

    /** Scrubs every replica and judges them all against the reference. */
    void scrubAndJudge() throws IOException {
        scrub();
        judge();
    }

    /** Scrubs every replica (publishes its report) without judging. */
    void scrub() throws IOException {
        for (SimulatedReplica replica : group.replicas()) {
            new Scrubber(
                            new Repository(store),
                            node(replica),
                            new ScrubConfig(
                                    0,
                                    Optional.empty(),
                                    Optional.empty(),
                                    Duration.ofDays(1),
                                    DigestAlgorithm.XXH128,
                                    BITS),
                            source,
                            dir.resolve("work-" + replica.id()),
                            alerts,
                            clock)
                    .scrub(Optional.empty());
        }
    }

    /** Judges every pending report against the reference. */
    void judge() throws IOException {
        new Judge(
                        new Repository(store),
                        dir.resolve("judge"),
                        new RetainedCheckpoints(source),
                        Optional.empty(),
                        alerts,
                        clock)
                .judge(group.partition());
    }

    DrillRecord drill() throws IOException {
        Snapshots snapshots = snapshots();
        Restorer restorer = new Restorer(
                new Repository(store),
                snapshots,
                dir.resolve("restore-work"),
                DigestAlgorithm.XXH128,
                BITS,
                SnapshotException.raisingAlerts(alerts, clock),
                clock,
                new SplittableRandom(3));
        return new RestoreDrill(
                        new Repository(store),
                        restorer,
                        snapshots,
                        RetentionConfig.defaults(),
                        dir.resolve("drill-work"),
                        alerts,
                        clock,
                        new SplittableRandom(4))
                .run(group.partition());
    }

    ReportBuilder reports(ReportRequirements requirements) {
        return new ReportBuilder(new Repository(store), requirements, clock);
    }

    /** archive.rpo 5 min, verified within 48 h, a drill within 8 days, a 7-day window, no Object Lock. */
    static ReportRequirements defaultRequirements() {
        return new ReportRequirements(
                Duration.ofMinutes(5), Duration.ofDays(2), Duration.ofDays(8), Duration.ofDays(7), false, null);
    }

    Snapshots snapshots() {
        return new Snapshots(new Repository(store), dir.resolve("snapshot-scratch"), clock, 2);
    }

    private static NodeConfig node(SimulatedReplica replica) {
        return new NodeConfig(replica.id(), List.of(replica.root()));
    }

    @Override
    public void close() throws IOException {
        group.close();
        dispatcher.close();
        store.close();
    }
}
