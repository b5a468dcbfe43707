package dev.vigil.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many writers, no lock: two appenders (as two processes would have, each with its own view of the store) with three
 * threads each append at once; the log holds every entry exactly once, numbered 0 to n−1 without a gap, each entry at
 * the number it claims.
 */
class LogAppenderTest {

    @TempDir
    Path dir;

    @Test
    void concurrentWritersLeaveAGapFreeLogWithEveryEntryOnce() throws Exception {
        List<LogAppender> processes = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            ObjectStore own = ObjectStores.localDirectory(dir.resolve("repo"), Clock.systemUTC());
            processes.add(new LogAppender(own));
        }
        int threadsEach = 3;
        int appendsEach = 40;
        ExecutorService pool = Executors.newFixedThreadPool(
                processes.size() * threadsEach,
                Thread.ofPlatform().name("appender-", 0).factory());
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try {
            for (int p = 0; p < processes.size(); p++) {
                for (int t = 0; t < threadsEach; t++) {
                    LogAppender appender = processes.get(p);
                    String writer = "process-" + p + "/thread-" + t;
                    done.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < appendsEach; i++) {
                            String key = writer + "/object-" + i;
                            appender.append(seq -> LogEntry.delete(seq, key, Instant.EPOCH, writer));
                        }
                        return null;
                    }));
                }
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        ObjectStore store = ObjectStores.localDirectory(dir.resolve("repo"), Clock.systemUTC());
        List<Long> numbers = LogReader.entryNumbers(store);
        int total = processes.size() * threadsEach * appendsEach;
        assertThat(numbers).hasSize(total);
        Set<String> keys = new HashSet<>();
        for (int seq = 0; seq < total; seq++) {
            assertThat(numbers.get(seq)).isEqualTo(seq);
            LogEntry entry = LogEntry.decode(LogReader.read(store, LogLayout.entryKey(seq)));
            assertThat(entry.seq()).isEqualTo(seq);
            keys.add(entry.key());
        }
        assertThat(keys).as("every append is in the log exactly once").hasSize(total);
    }
}
