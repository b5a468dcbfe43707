package dev.vigil.archiver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.PartitionId;
import dev.vigil.core.config.ArchiveConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class PartitionBackoffTest {

    private static final PartitionId P = PartitionId.of("p-0001");
    private static final PartitionId Q = PartitionId.of("p-0002");
    private static final Instant T0 = Instant.parse("2026-12-07T00:00:00Z");

    /** retry-base 10 s, retry-max 80 s. */
    private static ArchiveConfig settings() {
        ArchiveConfig d = ArchiveConfig.defaults();
        return new ArchiveConfig(
                d.concurrency(),
                d.rpo(),
                d.gapGrace(),
                Duration.ofSeconds(10),
                Duration.ofSeconds(80),
                d.staleUploadAge(),
                d.continuityCheckInterval(),
                d.rescanInterval());
    }

    /** A random source that always draws its upper bound (the longest jitter) or always 0 (the shortest). */
    private static RandomGenerator always(boolean highest) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public long nextLong(long bound) {
                return highest ? bound - 1 : 0;
            }
        };
    }

    @Test
    void theDelayDoublesFromTheBaseUpToTheMaximumWithHalfOfItFixed() {
        PartitionBackoff longest = new PartitionBackoff(settings(), always(true));
        PartitionBackoff shortest = new PartitionBackoff(settings(), always(false));
        long[] expectedCapSeconds = {10, 20, 40, 80, 80, 80};
        Instant now = T0;
        for (long cap : expectedCapSeconds) {
            PartitionBackoff.RetryState high = longest.failed(P, "503 Slow Down", now);
            PartitionBackoff.RetryState low = shortest.failed(P, "503 Slow Down", now);
            // Equal jitter: the delay is between half the capped delay and all of it.
            assertThat(Duration.between(now, high.notBefore())).isEqualTo(Duration.ofSeconds(cap));
            assertThat(Duration.between(now, low.notBefore())).isEqualTo(Duration.ofSeconds(cap / 2));
        }
        assertThat(longest.failed(P, "again", now).failures()).isEqualTo(expectedCapSeconds.length + 1);
    }

    @Test
    void aPartitionWaitsUntilItsRetryTimeAndOthersDoNot() {
        PartitionBackoff backoff = new PartitionBackoff(settings(), always(true));
        PartitionBackoff.RetryState state = backoff.failed(P, "connection refused", T0);

        assertThat(backoff.waiting(P, T0.plusSeconds(9))).contains(state);
        assertThat(backoff.waiting(P, state.notBefore())).isEmpty();
        assertThat(backoff.waiting(Q, T0)).isEmpty();
    }

    @Test
    void failuresCountFromTheFirstAndASuccessForgetsThem() {
        PartitionBackoff backoff = new PartitionBackoff(settings(), always(false));
        backoff.failed(P, "connection refused", T0);
        PartitionBackoff.RetryState second = backoff.failed(P, "503 Slow Down", T0.plusSeconds(30));

        assertThat(second.since()).isEqualTo(T0);
        assertThat(second.lastError()).isEqualTo("503 Slow Down");
        assertThat(backoff.failing())
                .containsExactly(java.util.Map.entry(
                        "p-0001", "2 failed attempt(s) since " + T0 + "; last error: 503 Slow Down"));

        backoff.succeeded(P);
        assertThat(backoff.failing()).isEmpty();
        assertThat(backoff.waiting(P, T0.plusSeconds(31))).isEmpty();
        assertThat(backoff.failed(P, "again", T0.plusSeconds(60)).failures()).isEqualTo(1);
    }
}
