package dev.vigil.cli;

import dev.vigil.restore.RestoreProgress;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jspecify.annotations.Nullable;

/**
 * Progress of a long command for people: a progress bar on a terminal (on stderr, so stdout keeps only the result),
 * and a plain line every few seconds otherwise (logs, CI), so a long restore, replay or verification is never silent.
 * Phases print as lines. One per command run, on one thread.
 *
 * <p>The bar is the {@code progressbar} library's; two of its habits are corrected here: it writes the speed and the
 * extra message without a space between them, and where it cannot measure the terminal (under {@code script}, some
 * CI runners) it renders the bar one character wide. The width is then taken from {@code COLUMNS}, else 100.
 */
final class ConsoleProgress implements RestoreProgress, AutoCloseable {

    private static final Duration LINE_EVERY = Duration.ofSeconds(5);
    /** Narrower than this, a detected width is taken for a failed measurement. */
    static final int MIN_WIDTH = 40;

    static final int DEFAULT_WIDTH = 100;

    private final PrintWriter out;
    private final boolean terminal;
    private final Clock clock;
    private final PrintStream barStream;
    private @Nullable ProgressBar bar;
    private @Nullable String barTask;
    private Instant lastLine = Instant.MIN;

    ConsoleProgress(PrintWriter out, boolean terminal, Clock clock) {
        this(out, terminal, clock, System.err);
    }

    ConsoleProgress(PrintWriter out, boolean terminal, Clock clock, PrintStream barStream) {
        this.out = out;
        this.terminal = terminal;
        this.clock = clock;
        this.barStream = barStream;
    }

    /** For a command's output: a terminal when there is a console and the output is not JSON. */
    static ConsoleProgress forCommand(PrintWriter out, boolean json, Clock clock) {
        return new ConsoleProgress(
                json ? new PrintWriter(Writer.nullWriter()) : out, Terminal.interactive() && !json, clock);
    }

    @Override
    public void phase(String description) {
        closeBar();
        out.println("... " + description);
        out.flush();
    }

    @Override
    public void replayed(long from, long to, long lsn, long bytes) {
        long total = Math.max(0, to - from + 1);
        long done = Math.max(0, lsn - from + 1);
        advance(
                "replay",
                "records",
                done,
                total,
                String.format(Locale.ROOT, "%.1f MB read", bytes / 1e6),
                String.format(
                        Locale.ROOT,
                        "replayed to LSN %d (%d of %d records, %.1f MB read)",
                        lsn,
                        done,
                        total,
                        bytes / 1e6));
    }

    /**
     * {@code done} of {@code total} {@code unit} of {@code task}; {@code extra} follows the rate on the bar, and
     * {@code line} is what a non-terminal prints every few seconds (and at the end).
     */
    void advance(String task, String unit, long done, long total, String extra, String line) {
        if (terminal) {
            if (bar == null || !task.equals(barTask)) {
                closeBar();
                bar = new ProgressBarBuilder()
                        .setTaskName(task)
                        .setInitialMax(total)
                        .setUnit(" " + unit, 1)
                        .setStyle(ProgressBarStyle.ASCII)
                        .setUpdateIntervalMillis(250)
                        .showSpeed()
                        .setConsumer(consumer(barStream))
                        .build();
                barTask = task;
            }
            bar.maxHint(total);
            bar.stepTo(done);
            bar.setExtraMessage(extra.isEmpty() ? "" : ", " + extra);
        } else {
            Instant now = clock.instant();
            if (Duration.between(lastLine, now).compareTo(LINE_EVERY) >= 0 || done == total) {
                lastLine = now;
                out.println("    " + line);
                out.flush();
            }
        }
    }

    /** A console consumer of a sane width, whatever the library measured. */
    static ProgressBarConsumer consumer(PrintStream stream) {
        ConsoleProgressBarConsumer measured = new ConsoleProgressBarConsumer(stream);
        int width = measured.getMaxRenderedLength();
        if (width >= MIN_WIDTH) {
            return measured;
        }
        return new ConsoleProgressBarConsumer(stream, width(System.getenv("COLUMNS")));
    }

    /** The width to render at when the terminal could not be measured: {@code COLUMNS} when it is sane, else 100. */
    static int width(String columns) {
        try {
            int value = columns == null ? -1 : Integer.parseInt(columns.strip());
            return value >= MIN_WIDTH ? value - 1 : DEFAULT_WIDTH;
        } catch (NumberFormatException e) {
            return DEFAULT_WIDTH;
        }
    }

    /** Ends any bar on screen, so the result prints below it. */
    void finish() {
        closeBar();
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
            barTask = null;
        }
    }

    @Override
    public void close() {
        closeBar();
    }
}
