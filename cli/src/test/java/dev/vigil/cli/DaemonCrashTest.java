package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.node.ArchivedLsnFile;
import dev.vigil.core.repository.ArchivedSegments;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.ObjectSummary;
import dev.vigil.core.wal.SealedSegment;
import dev.vigil.demo.node.ReplicationGroup;
import dev.vigil.demo.node.SimulatedReplica;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the daemon (a child JVM running {@code vigil daemon}) with SIGKILL at seeded random moments while
 * the node keeps writing, restarts it, and checks that nothing is lost, nothing is archived twice with
 * different content, and no partial object is ever visible.
 */
class DaemonCrashTest {

    private static final long SEED = 20261125L;
    private static final int KILLS = 20;

    @TempDir
    Path dir;

    @Test
    void sigkillAtRandomMomentsLosesNothingAndLeavesNoPartialObject() throws Exception {
        SplittableRandom random = new SplittableRandom(SEED);
        Path repository = dir.resolve("repository");
        try (ReplicationGroup group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                .replicas("r1")
                .recordsPerSegment(20)
                .valueSize(2_000)
                .seed(SEED)
                .build()) {
            SimulatedReplica node = group.replica("r1");
            Path config = writeConfig(node, repository);
            int killedMidPass = 0;
            for (int kill = 0; kill < KILLS; kill++) {
                group.write(600 + random.nextInt(900));
                Path log = dir.resolve("daemon-kill-" + kill + ".log");
                Process daemon = startDaemon(config, "kill-" + kill);
                // Start-up time varies a lot with the machine's load: the random delay counts from the moment the
                // daemon
                // says it runs (its first pass starts then). Each round seals 30 to 75 small segments, which the pass
                // ships one at a time, so a pass lasts long enough for random moments to land inside it on any machine.
                awaitLogLine(log, "Vigil daemon started", daemon);
                Thread.sleep(random.nextInt(300));
                daemon.destroyForcibly();
                assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
                long sealedEnd = node.sealedSegments().stream()
                        .mapToLong(seg -> seg.summary().lastLsn())
                        .max()
                        .orElse(0);
                if (ArchivedLsnFile.read(node.walDir()).orElse(0) < sealedEnd) {
                    killedMidPass++;
                }
            }
            // The test is only worth something if kills cut passes short (the archive was behind the node's sealed
            // segments when the daemon died): with twenty random moments and long passes, some always do.
            assertThat(killedMidPass).as("kills that cut an archive pass short").isPositive();
            long lastLsn = group.write(300);
            group.sealAll();

            Process daemon = startDaemon(config, "final");
            awaitArchived(node, lastLsn, daemon);
            daemon.destroy();
            assertThat(daemon.waitFor(30, TimeUnit.SECONDS))
                    .as("SIGTERM stops the daemon within its timeout")
                    .isTrue();
            assertThat(daemon.exitValue())
                    .as("a clean stop on SIGTERM exits 0 (systemd counts 143 as a failure)")
                    .isZero();
            assertThat(Files.readString(dir.resolve("daemon-final.log")))
                    .contains("vigil daemon for node r1 stopped cleanly" + " on SIGTERM");

            try (ObjectStore store = ObjectStores.localDirectory(repository, Clock.systemUTC())) {
                List<String> keys = new ArrayList<>();
                for (Iterator<ObjectSummary> it = store.listAll(""); it.hasNext(); ) {
                    keys.add(it.next().key());
                }
                List<String> expected = new ArrayList<>();
                for (SealedSegment segment : node.sealedSegments()) {
                    String key = RepositoryLayout.walKey(
                            group.partition(), segment.summary().lsnRange());
                    expected.add(key);
                    try (ObjectStream in = store.get(key)) {
                        assertThat(in.readAllBytes()).as(key).isEqualTo(Files.readAllBytes(segment.path()));
                    }
                }
                assertThat(keys)
                        .as("exactly the sealed segments: no partial, duplicate or conflict object")
                        .containsExactlyInAnyOrderElementsOf(expected);
                for (String key : keys) {
                    ArchivedSegments.verify(store, key);
                }
            }
            assertThat(ArchivedLsnFile.read(node.walDir())).isEqualTo(OptionalLong.of(lastLsn));
        }
    }

    private Path writeConfig(SimulatedReplica node, Path repository) throws IOException {
        return NodeConfigs.local(dir.resolve("vigil.yaml"), repository, dir.resolve("work"), node, """
                schedule:
                  archive: "* * * * * ?"
                archive:
                  concurrency: 1
                  retry-base: 100ms
                  retry-max: 1s
                daemon:
                  http-port: 0
                  shutdown-timeout: 10s
                """);
    }

    private Process startDaemon(Path config, String name) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        return new ProcessBuilder(
                        java,
                        "-Xmx256m",
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "daemon",
                        "--config",
                        config.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("daemon-" + name + ".log").toFile())
                .start();
    }

    private static void awaitLogLine(Path log, String line, Process daemon) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(log) && Files.readString(log).contains(line)) {
                return;
            }
            assertThat(daemon.isAlive())
                    .as("daemon still running (see " + log + ")")
                    .isTrue();
            daemon.waitFor(20, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError("the daemon did not log '" + line + "' within 60 s; see " + log);
    }

    private static void awaitArchived(SimulatedReplica node, long lsn, Process daemon) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline)) {
            OptionalLong archived = ArchivedLsnFile.read(node.walDir());
            if (archived.isPresent() && archived.getAsLong() == lsn) {
                return;
            }
            assertThat(daemon.isAlive()).as("daemon still running").isTrue();
            daemon.waitFor(100, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError(
                "archived.lsn did not reach " + lsn + " within 90 s; it is " + ArchivedLsnFile.read(node.walDir()));
    }
}
