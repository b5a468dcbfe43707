package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testkit.time.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {

    @Test
    void onATerminalTheBarIsFullWidthAndTheRateIsSeparatedFromWhatFollows() {
        ByteArrayOutputStream bar = new ByteArrayOutputStream();
        StringWriter lines = new StringWriter();
        try (PrintStream stream = new PrintStream(bar, true, StandardCharsets.UTF_8);
                ConsoleProgress progress = new ConsoleProgress(
                        new PrintWriter(lines, true),
                        true,
                        new MutableClock(Instant.parse("2026-12-01T00:00:00Z")),
                        stream)) {
            for (long lsn = 1; lsn <= 1000; lsn++) {
                progress.replayed(1, 1000, lsn, lsn * 1000);
            }
            progress.finish();
        }
        String rendered = bar.toString(StandardCharsets.UTF_8);
        assertThat(rendered)
                .contains("replay 100% [", "1000/1000 records", "records/s, 1.0 MB read")
                .doesNotContain("records/s1.0");
        int widest = Arrays.stream(rendered.split("[\r\n]"))
                .mapToInt(String::length)
                .max()
                .orElse(0);
        assertThat(widest)
                .as("not one character wide where the terminal cannot be measured: %s", rendered)
                .isGreaterThanOrEqualTo(ConsoleProgress.MIN_WIDTH);
        assertThat(lines.toString()).isEmpty();
    }

    @Test
    void elsewhereAPlainLineEveryFewSecondsAndAtTheEnd() {
        StringWriter lines = new StringWriter();
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
        try (ConsoleProgress progress = new ConsoleProgress(new PrintWriter(lines, true), false, clock)) {
            progress.advance("verify p-0001", "objects", 1, 3, "0.1 MB read", "partition p-0001: 1 of 3 objects read");
            progress.advance("verify p-0001", "objects", 2, 3, "0.2 MB read", "partition p-0001: 2 of 3 objects read");
            progress.advance("verify p-0001", "objects", 3, 3, "0.3 MB read", "partition p-0001: 3 of 3 objects read");
        }
        assertThat(lines.toString())
                .isEqualTo("    partition p-0001: 1 of 3 objects read" + System.lineSeparator()
                        + "    partition p-0001: 3 of 3 objects read" + System.lineSeparator());
    }

    @Test
    void anUnmeasurableTerminalIsRenderedAtColumnsOrAHundred() {
        assertThat(ConsoleProgress.width(null)).isEqualTo(100);
        assertThat(ConsoleProgress.width("1")).isEqualTo(100);
        assertThat(ConsoleProgress.width("wide")).isEqualTo(100);
        assertThat(ConsoleProgress.width("132")).isEqualTo(131);
    }
}
