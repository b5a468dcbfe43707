package dev.vigil.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What dead processes left is swept by whoever comes next, and several processes may come at once (daemons starting
 * together on one repository): each sweeps without failing on what another removed first, a live process's leftovers
 * stay. `LogCrashTest` found a writer that died of such a race.
 */
class LeftoversTest {

    @TempDir
    Path dir;

    @Test
    void sweepersRacingOverTheSameLeftoversAllSucceed() throws Exception {
        Process exited = new ProcessBuilder("true").start();
        exited.waitFor();
        ProcessTag dead = new ProcessTag(exited.pid(), ProcessTag.current().host());
        for (int round = 0; round < 20; round++) {
            for (int d = 0; d < 5; d++) {
                Path left = Files.createDirectories(dir.resolve("scratch-" + round + "-" + d + dead.suffix()));
                for (int f = 0; f < 20; f++) {
                    Files.writeString(left.resolve("part-" + f), "bytes " + f);
                }
                Files.writeString(dir.resolve("put-" + round + "-" + d + ".tmp" + dead.suffix()), "torn");
            }
            Path live = Files.writeString(
                    dir.resolve(
                            "put-live-" + round + ".tmp" + ProcessTag.current().suffix()),
                    "");
            ExecutorService sweepers = Executors.newFixedThreadPool(
                    4, Thread.ofPlatform().name("sweeper-", 0).factory());
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            try {
                for (int s = 0; s < 4; s++) {
                    done.add(sweepers.submit(() -> {
                        start.await();
                        return Leftovers.sweep(dir, name -> true);
                    }));
                }
                start.countDown();
                for (Future<?> future : done) {
                    future.get(60, TimeUnit.SECONDS);
                }
            } finally {
                sweepers.shutdownNow();
            }
            try (var left = Files.list(dir)) {
                assertThat(left.toList()).as("round " + round).containsExactly(live);
            }
            Files.delete(live);
        }
    }
}
