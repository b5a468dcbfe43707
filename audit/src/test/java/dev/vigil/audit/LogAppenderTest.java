package dev.vigil.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.store.ForwardingObjectStore;
import dev.vigil.core.store.ObjectInfo;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.store.PutRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
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
        List<String> keys = new ArrayList<>();
        for (int seq = 0; seq < numbers.size(); seq++) {
            assertThat(numbers.get(seq)).as("numbered without a gap").isEqualTo(seq);
            for (LogEntry entry : LogEntry.decodeAll(LogReader.read(store, LogLayout.entryKey(seq)))) {
                assertThat(entry.seq()).isEqualTo(seq);
                keys.add(entry.key());
            }
        }
        assertThat(keys).as("every append is in the log").hasSize(total);
        assertThat(new HashSet<>(keys)).as("exactly once").hasSize(total);
    }

    /**
     * Group commit: while one log object is being written, the appends asked for meanwhile wait, and are then written
     * together as one bundle, each entry carrying the bundle's number.
     */
    @Test
    void appendsAskedForWhileOneIsWrittenAreWrittenTogetherAsOneBundle() throws Exception {
        ObjectStore raw = ObjectStores.localDirectory(dir.resolve("repo"), Clock.systemUTC());
        LogAppender[] appender = new LogAppender[1];
        AtomicBoolean first = new AtomicBoolean(true);
        int others = 5;
        ObjectStore slowFirstWrite = new ForwardingObjectStore(raw) {
            @Override
            public ObjectInfo put(PutRequest request) throws IOException {
                if (first.getAndSet(false)) {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (appender[0].waiting() < others && System.nanoTime() < deadline) {
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                    }
                }
                return super.put(request);
            }
        };
        appender[0] = new LogAppender(slowFirstWrite);
        ExecutorService pool = Executors.newFixedThreadPool(
                others + 1, Thread.ofPlatform().name("appender-", 0).factory());
        List<Future<LogEntry>> done = new ArrayList<>();
        try {
            done.add(pool.submit(() -> appender[0].append(seq -> LogEntry.delete(seq, "first", Instant.EPOCH, "t0"))));
            for (int t = 1; t <= others; t++) {
                String key = "object-" + t;
                done.add(pool.submit(() -> appender[0].append(seq -> LogEntry.delete(seq, key, Instant.EPOCH, "t"))));
            }
            for (Future<LogEntry> future : done) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(LogReader.entryNumbers(raw)).containsExactly(0L, 1L);
        List<LogEntry> alone = LogEntry.decodeAll(LogReader.read(raw, LogLayout.entryKey(0)));
        List<LogEntry> bundle = LogEntry.decodeAll(LogReader.read(raw, LogLayout.entryKey(1)));
        assertThat(alone).as("the append written while the others waited").hasSize(1);
        assertThat(bundle).as("the others, written together").hasSize(others);
        assertThat(bundle).allSatisfy(e -> assertThat(e.seq()).isEqualTo(1));
        List<String> keys = new ArrayList<>();
        alone.forEach(e -> keys.add(e.key()));
        bundle.forEach(e -> keys.add(e.key()));
        assertThat(keys).containsExactlyInAnyOrder("first", "object-1", "object-2", "object-3", "object-4", "object-5");
        for (Future<LogEntry> future : done) {
            assertThat(future.get().seq())
                    .isEqualTo(future.get().key().equals(alone.getFirst().key()) ? 0 : 1);
        }
    }
}
