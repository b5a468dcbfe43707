package dev.vigil.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void durationsReadAsTheConfigurationWritesThem() {
        assertThat(Durations.format(Duration.ofSeconds(314))).isEqualTo("5m14s");
        assertThat(Durations.format(Duration.ofMinutes(15))).isEqualTo("15m");
        assertThat(Durations.format(Duration.ofHours(2))).isEqualTo("2h");
        assertThat(Durations.format(Duration.ofDays(7))).isEqualTo("7d");
        assertThat(Durations.format(Duration.ofDays(1).plusHours(3).plusMinutes(9)))
                .isEqualTo("1d3h");
        assertThat(Durations.format(Duration.ofDays(1).plusMinutes(9)))
                .as("two units at most")
                .isEqualTo("1d");
        assertThat(Durations.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0ms");
        assertThat(Durations.format(Duration.ofSeconds(-90))).isEqualTo("-1m30s");
        assertThat(Durations.format(Duration.ofMillis(1_500)))
                .as("whole seconds above one")
                .isEqualTo("1s");
    }
}
