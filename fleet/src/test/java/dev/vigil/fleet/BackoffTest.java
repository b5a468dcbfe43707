package dev.vigil.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A failing partition is tried again sooner than its next verification, doubling, never later than it. */
class BackoffTest {

    @Test
    void waitsDoubleFromTheFirstAndStopAtTheLongest() {
        Backoff<Void> backoff = new Backoff<>(Duration.ofMinutes(1), Duration.ofMinutes(5));

        assertThat(backoff.after(1)).isEqualTo(Duration.ofMinutes(1));
        assertThat(backoff.after(2)).isEqualTo(Duration.ofMinutes(2));
        assertThat(backoff.after(3)).isEqualTo(Duration.ofMinutes(4));
        assertThat(backoff.after(4)).isEqualTo(Duration.ofMinutes(5));
        assertThat(backoff.after(1_000)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void aLongestShorterThanTheFirstWaitIsTheFirstWait() {
        Backoff<Void> backoff = new Backoff<>(Duration.ofMinutes(10), Duration.ofMinutes(5));

        assertThat(backoff.after(1)).isEqualTo(Duration.ofMinutes(10));
        assertThat(backoff.after(7)).isEqualTo(Duration.ofMinutes(10));
    }
}
