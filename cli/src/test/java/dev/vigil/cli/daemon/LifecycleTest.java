package dev.vigil.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LifecycleTest {

    @Test
    void goesFromNewToStoppedOneStepAtATime() throws Exception {
        Lifecycle lifecycle = new Lifecycle(Duration.ofSeconds(10));
        assertThat(lifecycle.state()).isEqualTo(Lifecycle.State.NEW);
        lifecycle.starting();
        assertThat(lifecycle.state()).isEqualTo(Lifecycle.State.STARTING);
        lifecycle.running();
        assertThat(lifecycle.state()).isEqualTo(Lifecycle.State.RUNNING);
        assertThat(lifecycle.stopping()).isFalse();
        assertThat(lifecycle.shutdownLeft()).isEqualTo(Duration.ofSeconds(10));

        assertThat(lifecycle.beginStop()).isPresent();
        assertThat(lifecycle.state()).isEqualTo(Lifecycle.State.STOPPING);
        assertThat(lifecycle.stopping()).isTrue();
        assertThat(lifecycle.shutdownLeft()).isLessThanOrEqualTo(Duration.ofSeconds(10));
        lifecycle.stopped();
        assertThat(lifecycle.state()).isEqualTo(Lifecycle.State.STOPPED);
        lifecycle.awaitStopped(); // returns at once
    }

    @Test
    void aStopAskedForByManyThreadsAtOnceRunsOnce() throws Exception {
        Lifecycle lifecycle = new Lifecycle(Duration.ofSeconds(10));
        lifecycle.running();
        AtomicInteger won = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            threads.add(Thread.ofPlatform().name("stopper-" + i).start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (lifecycle.beginStop().isPresent()) {
                    won.incrementAndGet();
                }
            }));
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(won).hasValue(1);
    }

    @Test
    void aStopAskedForWhileStartingIsNotLost() {
        Lifecycle lifecycle = new Lifecycle(Duration.ofSeconds(10));
        lifecycle.starting();
        assertThat(lifecycle.beginStop()).isPresent();
        lifecycle.running(); // the start finishing later does not undo the stop
        assertThat(lifecycle.state()).isEqualTo(Lifecycle.State.STOPPING);
        assertThat(lifecycle.beginStop()).isEmpty();
    }
}
