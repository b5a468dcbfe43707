package dev.vigil.cli;

import dev.vigil.restore.RestoreProgress;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Restore progress for people: a progress bar of replayed records (with MB read) on a terminal, and a plain
 * line every few seconds otherwise (logs, CI), so a long restore is never silent.
 */
final class ConsoleProgress implements RestoreProgress, AutoCloseable {

    private static final Duration LINE_EVERY = Duration.ofSeconds(5);

    private final PrintWriter out;
    private final boolean terminal;
    private final Clock clock;
    private ProgressBar bar;
    private Instant lastLine = Instant.MIN;

    ConsoleProgress(PrintWriter out, boolean terminal, Clock clock) {
        this.out = out;
        this.terminal = terminal;
        this.clock = clock;
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
        if (terminal) {
            if (bar == null) {
                bar = new ProgressBarBuilder().setTaskName("replay").setInitialMax(total).setUnit(" records", 1)
                        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).showSpeed().build();
            }
            bar.stepTo(done);
            bar.setExtraMessage(String.format("%.1f MB read", bytes / 1e6));
        } else {
            Instant now = clock.instant();
            if (Duration.between(lastLine, now).compareTo(LINE_EVERY) >= 0 || done == total) {
                lastLine = now;
                out.printf("    replayed to LSN %d (%d of %d records, %.1f MB read)%n", lsn, done, total, bytes / 1e6);
                out.flush();
            }
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
        }
    }

    @Override
    public void close() {
        closeBar();
    }
}
